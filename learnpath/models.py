"""Import every feature's models so metadata (create_all, Alembic) sees all tables."""

from learnpath.accounts.models import Team, TeamMembership, User, UserRole
from learnpath.api.models import PersonalAccessToken
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer, TeamWeek
from learnpath.modules.models import (
    Completion,
    Module,
    ModuleVersion,
    Question,
    QuizAnswer,
    QuizAttempt,
)
from learnpath.paths.models import (
    Certificate,
    Enrolment,
    GrowthPath,
    PathStep,
    PathTarget,
    Skill,
    UserSkill,
)
from learnpath.privacy.models import AuditEntry, OrgSetting
from learnpath.search.models import CatalogChange, CatalogStamp
from learnpath.xapi.models import XapiOutbox, XapiPushStatus

__all__ = [
    "ActivityEvent", "Kudos", "PulseAnswer", "TeamWeek",
    "PersonalAccessToken",
    "AuditEntry", "OrgSetting",
    "CatalogChange", "CatalogStamp",
    "Certificate", "Enrolment", "GrowthPath", "PathStep", "PathTarget", "UserSkill",
    "Completion", "Module", "ModuleVersion", "Question", "QuizAnswer", "QuizAttempt", "Skill",
    "Team", "TeamMembership", "User", "UserRole",
    "XapiOutbox", "XapiPushStatus",
]
