"""The demo organisation `learnpath quickstart` creates: safe to run again, never overwrites."""

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from learnpath.accounts import services as accounts
from learnpath.conversations import services as conversations
from learnpath.engagement import services as engagement
from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.modules.models import Module
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


# Demo history -------------------------------------------------------------------------------
# Thirteen complete weeks before the current one, so dashboards (which show closed weeks) have
# trends, bands and participation on first run. Product grows more engaged over the quarter,
# Customer Success slowly less; people differ, and nobody does something every week.

HISTORY_WEEKS = 13
SEED = 16
# team: (weekly pulse chance, learning chance first -> last week, energy first -> last week,
#        eNPS range, kudos per week)
PROFILES = {
    "Product": (0.8, (0.35, 0.9), (3.0, 4.4), (7, 10), (2, 5)),
    "Customer Success": (0.75, (0.65, 0.2), (3.8, 2.3), (4, 9), (0, 2)),
}
KUDOS_MESSAGES = (
    "Thanks for your help this week!",
    "Great demo on Thursday, very clear.",
    "Thank you for picking up that customer call.",
    "Your feedback on my draft really helped.",
    "Thanks for the calm way you ran the retro.",
    "Nice work on the handover notes.",
)
DEMO_EMPLOYEE = "employee@example.com"
EMPLOYEE_PATH = ("effective-meetings-and-writing", 11, (10, 8, 6))  # slug, weeks ago enrolled,
#                                                                    steps done (weeks ago)
# (manager e-mail, path, assigned weeks ago, due (weeks from now, may be negative: overdue),
#  {member e-mail: steps done before today, with the week they were done})
ASSIGNMENTS = (
    ("manager@example.com", "feedback-and-recognition", 5, 3, {
        "lotte.bakker@example.com": (4, 3, 1),  # completed
        "milan.visser@example.com": (4, 2),  # on track
        "emma.smit@example.com": (),  # behind
        "noah.meijer@example.com": (2,),  # behind
        "julia.mulder@example.com": (3, 1),  # on track
    }),
    ("manager.cs@example.com", "onboarding-buddy", 9, -1, {
        "sem.dijkstra@example.com": (7,),  # overdue
    }),
    ("manager.cs@example.com", "effective-meetings-and-writing", 4, 5, {
        "sophie.bos@example.com": (2,),  # behind
        "lucas.vos@example.com": (),  # behind
        "anna.peters@example.com": (3, 1),  # on track
    }),
)


def _week_start(weeks_ago: int, today):
    return today - timedelta(days=today.weekday(), weeks=weeks_ago)


def _moment(rng, weeks_ago: int, today, day: int | None = None):
    """A working-hours moment (organisation time, stored in UTC) in the week `weeks_ago`."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    start = _week_start(weeks_ago, today) + timedelta(days=rng.randint(0, 4) if day is None
                                                      else day)
    local = datetime.combine(start, time(rng.randint(8, 16), rng.randint(0, 59)), zone)
    return local.astimezone(UTC)


def _answers(rng, version, right: float) -> dict:
    """Knowledge-check answers: each question right with chance `right`."""
    answers = {}
    for question in version.questions:
        correct = question.correct_indexes()
        wrong = [i for i in range(len(question.options)) if i not in correct]
        answers[question.id] = (correct if rng.random() < right or not wrong
                                else {rng.choice(wrong)})
    return answers


class _Plan:
    """The demo actions as (moment, order, kind, arguments); played back sorted by moment."""

    def __init__(self, rng, today):
        self.rng, self.today = rng, today
        self.actions: list[tuple] = []
        self.scheduled: dict[str, set[str]] = {}  # e-mail: path modules done on a schedule

    def add(self, weeks_ago: int, kind: str, *args, day: int | None = None) -> None:
        moment = _moment(self.rng, weeks_ago, self.today, day)
        self.actions.append((moment, len(self.actions), kind, args))

    def path_steps(self, email: str, steps: list[str], weeks: tuple, right: float) -> None:
        for module_slug, weeks_ago in zip(steps, weeks, strict=False):
            self.add(weeks_ago, "learn", email, module_slug, right)
        self.scheduled.setdefault(email, set()).update(steps)


def _plan_paths(plan: _Plan, paths: dict) -> None:
    """The demo employee's finished path and the managers' assignments."""
    slug, enrolled, done_weeks = EMPLOYEE_PATH
    if slug in paths:
        plan.add(enrolled, "enrol", DEMO_EMPLOYEE, slug, day=0)
        plan.path_steps(DEMO_EMPLOYEE, paths[slug], done_weeks, 0.9)
    for manager, path_slug, assigned, due_in, people in ASSIGNMENTS:
        if path_slug in paths:
            plan.add(assigned, "assign", manager, path_slug, due_in, sorted(people), day=0)
            for email, weeks in people.items():
                plan.path_steps(email, paths[path_slug], weeks, 0.8)


def _plan_person(plan: _Plan, email: str, profile: tuple, published: dict, away: set) -> None:
    """One person's weeks: now and then a module, most weeks the pulse, monthly the eNPS."""
    rng = plan.rng
    pulse_chance, learning, energy, enps, _kudos = profile
    eagerness, mood = rng.uniform(-0.15, 0.15), rng.uniform(-0.6, 0.6)
    pool = [m for m in published if m not in plan.scheduled.get(email, set())]
    rng.shuffle(pool)
    months_answered = set()
    for weeks_ago in sorted(set(range(1, HISTORY_WEEKS + 1)) - away, reverse=True):
        share = (HISTORY_WEEKS - weeks_ago) / (HISTORY_WEEKS - 1)  # 0 first .. 1 last week
        chance = learning[0] + (learning[1] - learning[0]) * share + eagerness
        if email == DEMO_EMPLOYEE:
            chance = max(chance, 0.6)
        if pool and rng.random() < chance:
            plan.add(weeks_ago, "learn", email, pool.pop(), 0.75)
        if rng.random() < pulse_chance:
            level = energy[0] + (energy[1] - energy[0]) * share + mood
            value = max(1, min(5, round(level + rng.uniform(-0.7, 0.7))))
            plan.add(weeks_ago, "pulse", email, "energy", value)
        start = _week_start(weeks_ago, plan.today)
        if (start.year, start.month) not in months_answered and rng.random() < 0.8:
            months_answered.add((start.year, start.month))
            plan.add(weeks_ago, "pulse", email, "enps", rng.randint(*enps))


def _plan_history(rng, today, published: dict, paths: dict) -> list[tuple]:
    """Every demo action as (moment, order, kind, arguments), in no particular order."""
    plan = _Plan(rng, today)
    _plan_paths(plan, paths)
    for team_name, (_manager, _name, members) in TEAMS.items():
        emails = [email for email, _n in members]
        # A week or two off per person (holidays): nobody does something every week.
        away = {email: set(rng.sample(range(1, HISTORY_WEEKS + 1), k=rng.randint(1, 2)))
                for email in emails}
        for email in emails:
            _plan_person(plan, email, PROFILES[team_name], published, away[email])
        for weeks_ago in range(HISTORY_WEEKS, 0, -1):
            present = [email for email in emails if weeks_ago not in away[email]]
            for _ in range(rng.randint(*PROFILES[team_name][4])):
                giver, receiver = rng.sample(present, 2)
                plan.add(weeks_ago, "kudos", giver, receiver, rng.choice(KUDOS_MESSAGES))
    return plan.actions


def _published_modules() -> dict:
    """The published English modules by slug, questions loaded."""
    found = {}
    for slug in db.session.scalars(select(Module.slug).where(
            Module.status == "published", Module.language == "en").order_by(Module.slug)):
        module = modules.get_published(slug)
        if module is not None:
            found[slug] = module
    return found


def _path_steps(published: dict) -> dict[str, list[str]]:
    """Path slug: its required modules, for the paths whose steps are all in `published`."""
    slug_of = {module.id: slug for slug, module in published.items()}
    paths_now = paths.published_paths()
    required = paths._required_steps([path.id for path in paths_now])
    return {path.slug: [slug_of[module_id] for module_id in required[path.id]]
            for path in paths_now
            if required.get(path.id) and all(m in slug_of for m in required[path.id])}


class _Player:
    """Plays the planned actions through the services, each at its moment."""

    def __init__(self, rng, today, published: dict):
        self.rng, self.today, self.published = rng, today, published
        self.people: dict = {}

    def person(self, email: str):
        if email not in self.people:
            self.people[email] = accounts.get_user_by_email(email)
        return self.people[email]

    def learn(self, moment, email, slug, right):
        person, module = self.person(email), self.published[slug]
        if module_learning.get_completion(person, module) is not None:
            return
        version = module.current_version
        if version.questions:
            module_learning.submit_quiz(person, version, _answers(self.rng, version, right),
                                        at=moment)
            if not module_learning.quiz_state(person, version).passed:  # tries again, right
                module_learning.submit_quiz(person, version, _answers(self.rng, version, 1.0),
                                            at=moment)
        module_learning.complete_module(person, module, at=moment)

    def pulse(self, moment, email, question, value):
        engagement.answer_pulse(self.person(email), question, value, day=moment.date(),
                                at=moment)

    def kudos(self, moment, giver, receiver, message):
        engagement.give_kudos(self.person(giver), self.person(receiver), message, at=moment)

    def enrol(self, moment, email, slug):
        paths.enrol(self.person(email), paths.get_path(slug), at=moment)

    def assign(self, moment, manager, slug, due_in, emails):
        due = (self.today + timedelta(weeks=due_in) if due_in > 0
               else _week_start(-due_in, self.today) + timedelta(days=4))  # a past Friday
        paths.assign(self.person(manager), paths.get_path(slug),
                     [self.person(email) for email in emails], due,
                     "Let's make this a habit this quarter.", moment.date(), at=moment)


def create_demo_activity() -> bool:
    """Give the demo teams 13 weeks of learning history, once, so every page has something to
    show: completions with knowledge-check answers, weekly pulse and monthly eNPS answers,
    kudos, assignments (some behind, one overdue) and a finished path with a certificate for
    the demo employee. Deterministic (seeded) apart from the dates, which end last week.

    Returns False when there is already activity (a rerun keeps what people did).
    """
    if db.session.scalar(select(func.count(ActivityEvent.id))):
        return False
    rng = random.Random(SEED)
    today = paths.today()
    published = _published_modules()
    player = _Player(rng, today, published)
    for moment, _order, kind, args in sorted(_plan_history(rng, today, published,
                                                           _path_steps(published))):
        getattr(player, kind)(moment, *args)
    db.session.flush()
    _demo_check_ins(today)
    return True


# (person, kind, days from today) of the demo manager's check-ins; the held one has notes and
# an action that enrolled the person in a path.
CHECK_IN_DUE = ("emma.smit@example.com", "thirty-day", 2)
CHECK_IN_HELD = ("milan.visser@example.com", "quarterly", -14, "conversations-that-matter")


def _demo_check_ins(today) -> None:
    manager = accounts.get_user_by_email("manager@example.com")
    email, kind, days = CHECK_IN_DUE
    due = today + timedelta(days=days)
    conversations.schedule(manager, accounts.get_user_by_email(email), kind, due, due)
    email, kind, days, path_slug = CHECK_IN_HELD
    person = accounts.get_user_by_email(email)
    held_on = today + timedelta(days=days)
    check_in = conversations.schedule(manager, person, kind, held_on, held_on)
    conversations.add_entry(person, check_in, "topic", "I would like to lead a customer "
                            "conversation on my own.")
    conversations.add_entry(manager, check_in, "shared", "Milan is ready for more customer "
                            "contact; we start with the path on conversations that matter.")
    conversations.add_entry(manager, check_in, "private", "Check with Sales whether Milan can "
                            "join the March customer day.")
    action = conversations.add_entry(
        manager, check_in, "action", "Enrol in the path on conversations that matter",
        owner="person", due_on=held_on + timedelta(days=7),
        path=paths.get_path(path_slug), path_action="enrol", today=held_on)
    conversations.carry_out(person, check_in, action.id, held_on,
                            at=datetime.combine(held_on, time(15), tzinfo=UTC))
    conversations.confirm_held(manager, check_in)
    conversations.confirm_held(person, check_in)
