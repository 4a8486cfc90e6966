"""The pages the benchmarks drive, and who looks at them, chosen from a generated database.

Shared by bench/queries.py and bench/load.py so both measure the same requests.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from learnpath.accounts.models import TeamMembership, User, UserRole
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion, Question
from learnpath.paths.models import Enrolment, GrowthPath, PathStep

PASSWORD = "bench password 123"
# page name -> (role of the person who looks at it, path template)
PAGES = {
    "module page": ("employee", "/modules/{module}"),
    "catalog: query": ("employee", "/modules?q={query}"),
    "catalog: facets": ("employee", "/modules?q={query}&level=beginner&language={language}"
                                    "&duration=10"),
    "employee home": ("employee", "/"),
    "path page": ("employee", "/paths/{path}"),
    "manager team page": ("manager", "/manager"),
    "team engagement": ("manager", "/engagement/teams/{team}"),
    "HR overview": ("hr", "/engagement/hr"),
}
# Driven by load.py before the pages, without a target: a signed-in page that only renders the
# layout and a static text (no queries of its own), the floor every page above stands on.
REFERENCE_PAGES = {"static page, signed in": ("employee", "/engagement/how")}


@dataclass
class Person:
    id: int
    email: str
    module: str = ""  # a module with a knowledge check
    path: str = ""  # a path the person follows
    team: int = 0  # a team the person manages
    language: str = "en"


@dataclass
class Organisation:
    employees: list[Person] = field(default_factory=list)
    managers: list[Person] = field(default_factory=list)
    hr: list[Person] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)  # slugs, with a knowledge check
    plain_modules: list[str] = field(default_factory=list)  # slugs, without one
    queries: list[str] = field(default_factory=list)

    def people(self, role: str) -> list[Person]:
        return {"employee": self.employees, "manager": self.managers, "hr": self.hr}[role]


_WORD = re.compile(r"[^\W\d_]{5,}")


def organisation(employees: int = 200, managers: int = 50, hr: int = 5) -> Organisation:
    """People to log in as and things to look at, the same choice for the same database."""
    org = Organisation()
    quiz_ids = select(Question.version_id).distinct()
    module_rows = db.session.execute(
        select(Module.id, Module.slug, ModuleVersion.title, Module.current_version_id.in_(
            quiz_ids)).join(ModuleVersion, ModuleVersion.id == Module.current_version_id)
        .where(Module.status == "published").order_by(Module.id).limit(400)).all()
    for _id, slug, title, has_quiz in module_rows:
        (org.modules if has_quiz else org.plain_modules).append(slug)
        words = [w.lower() for w in _WORD.findall(title)]
        if words and len(org.queries) < 50:
            org.queries.append(words[0])
    # Employees who follow a path with a step still to do and are no manager: home and path
    # page show their progress and the next module, at every size.
    open_step = select(PathStep.id).where(
        PathStep.path_id == Enrolment.path_id, PathStep.optional.is_(False),
        PathStep.module_id.not_in(select(Completion.module_id).where(
            Completion.user_id == Enrolment.user_id).correlate(Enrolment))
    ).correlate(Enrolment).exists()
    enrolled = db.session.execute(
        select(User.id, User.email, User.locale, func.min(GrowthPath.slug))
        .join(Enrolment, Enrolment.user_id == User.id)
        .join(GrowthPath, GrowthPath.id == Enrolment.path_id)
        .where(Enrolment.state == "active", open_step, User.id.not_in(
            select(UserRole.user_id).where(UserRole.role != "employee")))
        .group_by(User.id, User.email, User.locale).order_by(User.id).limit(employees)).all()
    for number, (user_id, email, locale, path) in enumerate(enrolled):
        org.employees.append(Person(user_id, email, org.modules[number % len(org.modules)],
                                    path, language=locale or "en"))
    for user_id, email, team_id in db.session.execute(
            select(User.id, User.email, func.min(TeamMembership.team_id))
            .join(TeamMembership, TeamMembership.user_id == User.id)
            .where(TeamMembership.kind == "manager").group_by(User.id, User.email)
            .order_by(User.id).limit(managers)):
        org.managers.append(Person(user_id, email, team=team_id))
    for user_id, email in db.session.execute(
            select(User.id, User.email).join(UserRole).where(UserRole.role == "hr")
            .order_by(User.id).limit(hr)):
        org.hr.append(Person(user_id, email))
    return org


def url_for_page(page: str, person: Person, org: Organisation, number: int = 0) -> str:
    _role, template = {**PAGES, **REFERENCE_PAGES}[page]
    return template.format(module=person.module or org.modules[number % len(org.modules)],
                           query=org.queries[number % len(org.queries)],
                           language=person.language, path=person.path, team=person.team)


def completed(user_id: int, module_slugs) -> set[str]:
    return set(db.session.scalars(select(Module.slug).join(
        Completion, Completion.module_id == Module.id).where(
        Completion.user_id == user_id, Module.slug.in_(list(module_slugs)))))
