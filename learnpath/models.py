"""Import every feature's models so metadata (create_all, Alembic) sees all tables."""

from learnpath.accounts.links import SignInLink
from learnpath.accounts.models import Team, TeamMembership, User, UserRole
from learnpath.accounts.scim import ScimResource, ScimToken
from learnpath.accounts.sso import SsoIdentity
from learnpath.api.models import PersonalAccessToken
from learnpath.conversations.models import CheckIn, CheckInEntry, CheckInTemplateRow
from learnpath.engagement.models import (
    ActionPlan,
    ActionPlanAnswer,
    ActivityEvent,
    Kudos,
    PulseAnswer,
    TeamWeek,
)
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
)
from learnpath.privacy.models import AuditEntry, OrgSetting
from learnpath.reviews.models import ReviewCard, ReviewLog
from learnpath.search.models import CatalogChange, CatalogStamp
from learnpath.skills.models import Skill, UserSkill
from learnpath.xapi.models import XapiOutbox, XapiPushStatus

__all__ = [
    "CheckIn", "CheckInEntry", "CheckInTemplateRow",
    "ActionPlan", "ActionPlanAnswer", "ActivityEvent", "Kudos", "PulseAnswer", "TeamWeek",
    "PersonalAccessToken", "ScimResource", "ScimToken", "SignInLink", "SsoIdentity",
    "AuditEntry", "OrgSetting",
    "ReviewCard", "ReviewLog",
    "CatalogChange", "CatalogStamp",
    "Certificate", "Enrolment", "GrowthPath", "PathStep", "PathTarget",
    "Completion", "Module", "ModuleVersion", "Question", "QuizAnswer", "QuizAttempt",
    "Skill", "UserSkill",
    "Team", "TeamMembership", "User", "UserRole",
    "XapiOutbox", "XapiPushStatus",
]
