"""The demo organisation `learnpath quickstart` creates: safe to run again, never overwrites."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from learnpath.accounts import services as accounts
from learnpath.engagement import services as engagement
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths

DEMO_PASSWORD = "learnpath-demo"
DOMAIN = "example.com"

TEAMS = {
    "Product": ("manager@example.com", "Sanne de Vries", [
        ("employee@example.com", "Daan Jansen"),
        ("lotte.bakker@example.com", "Lotte Bakker"),
        ("milan.visser@example.com", "Milan Visser"),
        ("emma.smit@example.com", "Emma Smit"),
        ("noah.meijer@example.com", "Noah Meijer"),
        ("julia.mulder@example.com", "Julia Mulder"),
    ]),
    "Customer Success": ("manager.cs@example.com", "Thomas de Boer", [
        ("sophie.bos@example.com", "Sophie Bos"),
        ("lucas.vos@example.com", "Lucas Vos"),
        ("anna.peters@example.com", "Anna Peters"),
        ("finn.hendriks@example.com", "Finn Hendriks"),
        ("eva.dekker@example.com", "Eva Dekker"),
        ("sem.dijkstra@example.com", "Sem Dijkstra"),
    ]),
}

STAFF = [
    ("author@example.com", "Iris van Dijk", ["employee", "author"]),
    ("hr@example.com", "Fatima El Amrani", ["employee", "hr"]),
    ("admin@example.com", "Ruben Kok", ["employee", "admin"]),
]


def _ensure_user(email: str, name: str, roles: list[str]):
    user = accounts.get_user_by_email(email)
    if user is None:
        user = accounts.create_user(email, name, password=DEMO_PASSWORD, roles=roles)
    else:
        accounts.add_roles(user, roles)
    return user


def create_demo_organisation() -> list[tuple[str, str]]:
    """Create the demo teams and people if missing; return (role, e-mail) of the demo logins."""
    logins: list[tuple[str, str]] = []
    for team_name, (manager_email, manager_name, members) in TEAMS.items():
        team = accounts.get_team_by_name(team_name) or accounts.create_team(team_name)
        manager = _ensure_user(manager_email, manager_name, ["employee", "manager"])
        accounts.add_to_team(team, manager, "manager")
        for email, name in members:
            accounts.add_to_team(team, _ensure_user(email, name, ["employee"]), "member")
        if not logins:
            logins.append(("employee", members[0][0]))
            logins.append(("manager", manager_email))
    for email, name, roles in STAFF:
        _ensure_user(email, name, roles)
        logins.append((roles[-1], email))
    return logins


def create_demo_activity() -> bool:
    """Give the demo teams some learning history, once, so every page has something to show.

    Returns False when there is already activity (a rerun keeps what people did).
    """
    if db.session.scalar(select(func.count(ActivityEvent.id))):
        return False
    rng = random.Random(42)
    published = [m for m in (modules.get_published(slug) for slug in (
        "giving-feedback-that-lands", "asking-for-feedback", "recognising-good-work",
        "running-a-short-meeting", "writing-a-clear-email", "microlearning-habits"))
        if m is not None]
    today = paths.today()
    for team_name, (manager_email, _name, members) in TEAMS.items():
        manager = accounts.get_user_by_email(manager_email)
        people = [accounts.get_user_by_email(email) for email, _n in members]
        path = paths.get_path("feedback-and-recognition")
        if path is not None and team_name == "Product":
            paths.assign(manager, path, people[1:], today + timedelta(days=28),
                         "Let's make feedback a habit this quarter.", today)
        for person in people[1:]:
            for module in rng.sample(published, k=min(len(published), rng.randint(0, 3))):
                version = module.current_version
                answers = {q.id: q.correct_indexes() for q in version.questions}
                module_learning.submit_quiz(person, version, answers)
                module_learning.complete_module(person, module)
            engagement.answer_pulse(person, "energy", rng.randint(2, 5))
            engagement.answer_pulse(person, "enps", rng.randint(5, 10))
        for giver, receiver in zip(people[1:4], people[2:5], strict=True):
            engagement.give_kudos(giver, receiver, "Thanks for your help this week!")
    db.session.flush()
    return True
