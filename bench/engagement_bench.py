"""Engagement dashboards benchmark: a generated organisation, the team and HR pages timed.

    .venv/bin/python bench/engagement_bench.py [--people 10000] [--teams 200]
        [--events 1000000] [--repeat 20] [--hr-repeat 5] [--database-url postgresql://...]
        [--sqlite-file PATH] [--reuse] [--profile]

Quick run: --people 1000 --teams 20 --events 100000 (about 15 s). --profile also prints
every SQL statement of one request of each page with its time. --reuse measures the data of an
earlier run (kept with --sqlite-file, or in the --database-url database) without generating.

Generates an organisation (people in teams, one manager per team, one HR person), a catalog of
modules and growth paths, and a year of activity: `--events` activity-log events, and in
proportion completions (20% of the events), pulse answers (37%: weekly energy and monthly eNPS)
and kudos (5%), plus enrolments (one or two paths a person). All rows go in with bulk inserts.
Then it closes the 12 trend weeks (engagement snapshots: the first read after a week ends, or
`learnpath engagement close-week`) and times closing one week again for every team, and it
times, in one run with the in-process test client (each request in its own app context, as in
production), the module page, the team dashboard (as that team's manager) and the HR
overview, and reports p50/p95 and the SQL statements each request runs, cold (the first
request of a new application) and warm.

The default database is a throwaway SQLite file in a temporary folder. --database-url runs on
PostgreSQL instead: it DROPS AND RECREATES every learnpath table in that database, so give it
a database of its own.

Targets (issue 7): each page at most 10 queries whatever the size; the team dashboard at most
5x the time of the module page. Issue 16: the team dashboard and the HR overview read the
snapshots in at most 5 SQL statements, cold and warm; closing one week for 200 teams < 30 s.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from sqlalchemy import event, insert, select, text, update  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from learnpath import create_app  # noqa: E402
from learnpath.accounts.models import Team, TeamMembership, User, UserRole  # noqa: E402
from learnpath.engagement import indicator as ind  # noqa: E402
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer  # noqa: E402
from learnpath.extensions import db  # noqa: E402
from learnpath.modules import authoring as module_authoring  # noqa: E402
from learnpath.modules.models import Completion, Module, ModuleVersion  # noqa: E402
from learnpath.paths.models import Enrolment, GrowthPath, PathStep  # noqa: E402

PASSWORD = "bench password 123"
CATALOG = 150  # modules
PATHS = 30
STEPS = 6  # required steps a path (plus two optional)
SHARE_COMPLETIONS, SHARE_PULSE, SHARE_KUDOS = 0.20, 0.37, 0.05
CHUNK = 20_000
TZ = ZoneInfo("Europe/Amsterdam")
MODULE_SOURCE = """---
title: Giving feedback that lands
summary: Three steps to feedback that helps.
duration: 5
---

# Giving feedback that lands

Describe the behaviour, its effect, and ask what the other person needs.

<quiz>
What comes first?
- [x] The concrete behaviour
- [ ] Your judgement of the person

Behaviour can change; a judgement cannot.
</quiz>
"""


def bulk(model, rows) -> None:
    """Insert a list of dicts in chunks (executemany / multi-row VALUES)."""
    table = model.__table__
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


class Org:
    def __init__(self):
        self.people: list[int] = []
        self.team_of: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.managers: dict[int, int] = {}
        self.hr = 0


def make_people(rng: random.Random, count: int, teams: int, now: datetime) -> Org:
    org = Org()
    password = generate_password_hash(PASSWORD, method="scrypt")
    users, roles, memberships, team_rows = [], [], [], []
    for team_id in range(1, teams + 1):
        team_rows.append({"id": team_id, "name": f"Team {team_id:04d}", "created_at": now})
        org.members[team_id] = []
    for user_id in range(1, count + 2):  # one extra person: HR, in no team
        users.append({"id": user_id, "email": f"p{user_id}@bench.example",
                      "primary_team_id": None,
                      "display_name": f"Person {user_id}", "password_hash": None,
                      "active": True, "session_token": f"token-{user_id}", "created_at": now})
        roles.append({"user_id": user_id, "role": "employee"})
        if user_id == count + 1:
            org.hr = user_id
            roles.append({"user_id": user_id, "role": "hr"})
            users[-1]["password_hash"] = password
            continue
        team_id = (user_id - 1) % teams + 1
        users[-1]["primary_team_id"] = team_id
        org.people.append(user_id)
        org.team_of[user_id] = team_id
        org.members[team_id].append(user_id)
        memberships.append({"team_id": team_id, "user_id": user_id, "kind": "member"})
    for team_id, members in org.members.items():
        manager = members[0]
        org.managers[team_id] = manager
        memberships.append({"team_id": team_id, "user_id": manager, "kind": "manager"})
        roles.append({"user_id": manager, "role": "manager"})
        users[manager - 1]["password_hash"] = password
    bulk(Team, team_rows)
    bulk(User, users)
    bulk(UserRole, roles)
    bulk(TeamMembership, memberships)
    return org


def make_catalog(rng: random.Random, now: datetime) -> tuple[list[int], dict[int, list[int]]]:
    module_rows = [{"id": i, "slug": f"bench-{i}", "language": "en", "status": "published",
                    "draft_title": f"Module {i}", "edit_count": 1, "created_at": now,
                    "updated_at": now} for i in range(1, CATALOG + 1)]
    version_rows = [{"id": i, "module_id": i, "number": 1, "title": f"Module {i}",
                     "summary": "", "language": "en", "duration": 5, "level": "beginner",
                     "skills": [], "tags": [], "front_matter": {}, "source": "x", "html": "x",
                     "toc_html": "", "content_hash": str(i), "published_at": now}
                    for i in range(1, CATALOG + 1)]
    bulk(Module, module_rows)
    bulk(ModuleVersion, version_rows)
    db.session.execute(update(Module).values(current_version_id=Module.id))
    module_ids = list(range(1, CATALOG + 1))
    path_rows, step_rows, required = [], [], {}
    for path_id in range(1, PATHS + 1):
        path_rows.append({"id": path_id, "slug": f"path-{path_id}", "title_nl": f"Pad {path_id}",
                          "title_en": f"Path {path_id}", "kind": "horizontal",
                          "status": "published", "created_at": now, "updated_at": now})
        chosen = rng.sample(module_ids, STEPS + 2)
        required[path_id] = chosen[:STEPS]
        for position, module_id in enumerate(chosen):
            step_rows.append({"path_id": path_id, "module_id": module_id, "position": position,
                              "optional": position >= STEPS})
    bulk(GrowthPath, path_rows)
    bulk(PathStep, step_rows)
    return module_ids, required


def _moment(rng: random.Random, now: datetime, days: float = 365) -> datetime:
    return now - timedelta(seconds=rng.uniform(0, days * 86400))


def make_activity(rng: random.Random, org: Org, events: int, module_ids, required,
                  now: datetime) -> dict[str, int]:
    """Completions, pulse answers, kudos and enrolments, then the events to reach `events`."""
    people = org.people
    counts = {}
    per_person = SHARE_COMPLETIONS * events / len(people)
    completions, log = [], []
    for user_id in people:
        n = min(len(module_ids), max(0, round(rng.gauss(per_person, per_person / 3))))
        for module_id in rng.sample(module_ids, n):
            when = _moment(rng, now)
            completions.append({"user_id": user_id, "module_id": module_id,
                                "version_id": module_id, "completed_at": when, "score": None})
            log.append(("completed", "module", f"bench-{module_id}", user_id, when))
    # Rows arrive in time order in real life, and the time indexes follow the table order.
    completions.sort(key=lambda row: row["completed_at"])
    bulk(Completion, completions)
    counts["completions"] = len(completions)

    weeks = ind.weeks_ending(now.astimezone(TZ).date(), 52, TZ)
    pulse_total = SHARE_PULSE * events
    energy_rate = min(1.0, 0.84 * pulse_total / (len(people) * len(weeks)))
    enps_rate = min(1.0, 0.16 * pulse_total / (len(people) * 12))
    answers = []
    for user_id in people:
        mood = rng.randint(1, 5)
        for week in weeks:
            if rng.random() < energy_rate:
                when = min(now, week.start + timedelta(seconds=rng.uniform(0, 5 * 86400)))
                value = max(1, min(5, mood + rng.choice((-1, 0, 0, 1))))
                answers.append({"user_id": user_id, "question": "energy", "period": week.label,
                                "value": value, "answered_at": when})
                log.append(("responded", "pulse", f"energy/{week.label}", user_id, when))
        month = now.astimezone(TZ).date().replace(day=1)
        for _ in range(12):
            if rng.random() < enps_rate:
                when = min(now, datetime(month.year, month.month, rng.randint(1, 28), 12,
                                         tzinfo=TZ).astimezone(UTC))
                label = ind.month_label(month)
                answers.append({"user_id": user_id, "question": "enps", "period": label,
                                "value": min(10, max(0, round(rng.gauss(mood * 2, 2)))),
                                "answered_at": when})
                log.append(("responded", "pulse", f"enps/{label}", user_id, when))
            month = ind.previous_month(month).replace(day=1)
    answers.sort(key=lambda row: row["answered_at"])
    bulk(PulseAnswer, answers)
    counts["pulse answers"] = len(answers)

    kudos = []
    for _ in range(round(SHARE_KUDOS * events)):
        giver = rng.choice(people)
        mates = org.members[org.team_of[giver]]
        receiver = rng.choice(mates) if rng.random() < 0.7 else rng.choice(people)
        if receiver == giver:
            continue
        when = _moment(rng, now)
        kudos.append({"from_id": giver, "to_id": receiver, "message": "Thank you!",
                      "created_at": when})
        log.append(("shared", "kudos", str(receiver), giver, when))
    kudos.sort(key=lambda row: row["created_at"])
    bulk(Kudos, kudos)
    counts["kudos"] = len(kudos)

    enrolments = []
    for user_id in people:
        for path_id in rng.sample(sorted(required), rng.choice((1, 1, 2))):
            enrolled = _moment(rng, now, 200)
            state = rng.choices(("active", "completed", "withdrawn"), (70, 20, 10))[0]
            ended = enrolled + (now - enrolled) * rng.random() if state != "active" else None
            due = ((enrolled + timedelta(days=rng.randint(30, 120))).date()
                   if rng.random() < 0.5 else None)
            enrolments.append({
                "user_id": user_id, "path_id": path_id, "source": "assigned" if due else "self",
                "due_date": due, "note": "", "state": state, "enrolled_at": enrolled,
                "completed_at": ended if state == "completed" else None,
                "withdrawn_at": ended if state == "withdrawn" else None})
            log.append(("registered", "path", f"path-{path_id}", user_id, enrolled))
    enrolments.sort(key=lambda row: row["enrolled_at"])
    bulk(Enrolment, enrolments)
    counts["enrolments"] = len(enrolments)

    while len(log) < events:
        user_id = rng.choice(people)
        module_id = rng.choice(module_ids)
        verb = rng.choice(("experienced", "answered", "answered", "passed"))
        log.append((verb, "question" if verb == "answered" else "module", f"bench-{module_id}",
                    user_id, _moment(rng, now)))
    log = log[:events]
    log.sort(key=lambda entry: entry[4])
    rows = []
    for verb, object_type, object_id, actor, when in log:
        rows.append({"actor_id": actor, "verb": verb, "object_type": object_type,
                     "object_id": object_id, "result_score": None, "result_success": None,
                     "result_response": None, "context": {}, "timestamp": when})
        if len(rows) == CHUNK:
            bulk(ActivityEvent, rows)
            rows = []
    bulk(ActivityEvent, rows)
    counts["activity events"] = min(events, len(log))
    return counts


def fix_sequences() -> None:
    """PostgreSQL: move id sequences past the ids the bulk inserts chose themselves."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "teams", "modules", "module_versions", "growth_paths"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))"))


def publish_one_module(org: Org):
    author = db.session.get(User, org.hr)
    module = module_authoring.create_module("giving-feedback-that-lands", MODULE_SOURCE)
    module_authoring.publish(module, author)
    return module.slug


# Measuring -------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(app, client, path: str, repeat: int, warmups: int = 2) -> dict:
    """Time `repeat` GETs after `warmups` warm-ups; each in its own app context."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    times, query_counts = [], []
    for i in range(repeat + warmups):
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200, (path, response.status_code)
        if i >= warmups:
            times.append(elapsed)
            query_counts.append(len([s for s in statements
                                     if not s.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT",
                                                                           "RELEASE"))]))
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95),
            "queries": max(query_counts)}


def profile(app, client, path: str) -> None:
    """Print the time of each SQL statement of one request, rerun to completion (--profile).

    (SQLite runs a statement while its rows are fetched, so the statements are captured and
    timed again with fetchall.)
    """
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", capture)
        start = time.perf_counter()
        client.get(path)
        total = (time.perf_counter() - start) * 1000
        event.remove(db.engine, "before_cursor_execute", capture)
        connection = db.engine.raw_connection()
        try:
            timings = []
            for statement, parameters in captured:
                cursor = connection.cursor()
                begin = time.perf_counter()
                cursor.execute(statement, parameters)
                rows = len(cursor.fetchall())
                timings.append(((time.perf_counter() - begin) * 1000, rows,
                                " ".join(statement.split())[:100]))
                cursor.close()
        finally:
            connection.close()
    print(f"{path}: {total:.1f} ms; SQL alone {sum(t for t, _r, _s in timings):.1f} ms")
    for elapsed, rows, statement in timings:
        print(f"  {elapsed:8.1f} ms {rows:7d} rows  {statement}")


def login(app, email: str):
    client = app.test_client()
    with app.app_context():
        response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--hr-repeat", type=int, default=5, help="timed HR overview requests")
    parser.add_argument("--database-url", help="PostgreSQL URL (its tables are recreated)")
    parser.add_argument("--sqlite-file", help="keep the SQLite database in this file")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the organisation already in --sqlite-file or "
                             "--database-url (from an earlier run) instead of generating one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="time each SQL statement too")
    args = parser.parse_args()
    teams = max(1, min(args.teams, args.people))

    folder = Path(tempfile.mkdtemp(prefix="learnpath-engagement-bench-"))
    sqlite_file = Path(args.sqlite_file).resolve() if args.sqlite_file else folder / "bench.db"
    reuse = args.reuse and (args.database_url or sqlite_file.exists())
    url = args.database_url or f"sqlite:///{sqlite_file}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(folder / "index"), "RATELIMIT_ENABLED": False})
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with app.app_context():
        backend = db.engine.dialect.name
        if reuse:
            manager, hr, slug = reused_organisation()
    if reuse:
        print(f"backend: {backend}   reusing the organisation generated earlier")
    else:
        manager, hr, slug = generate(app, args, teams, rng, now, backend, started)
    close_weeks(app)
    run(app, args, manager, hr, slug, url, folder)


def close_weeks(app) -> None:
    """Close the 12 trend weeks (what the first read does), then one week again, timed."""
    from learnpath.engagement import snapshots
    from learnpath.engagement.models import TeamWeek

    with app.app_context():
        weeks = snapshots.trend_weeks()
        start = time.perf_counter()
        closed = snapshots.close(weeks)
        db.session.commit()
        all_weeks = time.perf_counter() - start
        last = weeks[-1]
        db.session.execute(TeamWeek.__table__.delete().where(TeamWeek.week == last.label))
        db.session.commit()
        start = time.perf_counter()
        snapshots.close([last])
        db.session.commit()
        one_week = time.perf_counter() - start
        groups = db.session.scalar(select(db.func.count()).select_from(TeamWeek).where(
            TeamWeek.week == last.label))
    print(f"closing {len(closed)} weeks (first read, nothing closed yet): {all_weeks:.1f} s")
    print(f"closing one week ({last.label}, {groups - 1} teams and the organisation): "
          f"{one_week:.1f} s (target < 30 s)")


def reused_organisation() -> tuple[str, str, str]:
    manager = db.session.scalar(select(User.email).join(
        TeamMembership, TeamMembership.user_id == User.id).where(
        TeamMembership.team_id == 1, TeamMembership.kind == "manager").limit(1))
    hr = db.session.scalar(select(User.email).join(UserRole).where(UserRole.role == "hr")
                           .limit(1))
    return manager, hr, "giving-feedback-that-lands"


def generate(app, args, teams, rng, now, backend, started) -> tuple[str, str, str]:
    """Create the tables and fill them; return the manager's and HR's e-mail and the slug."""
    with app.app_context():
        if backend == "postgresql":
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        db.create_all()
        org = make_people(rng, args.people, teams, now)
        module_ids, required = make_catalog(rng, now)
        counts = make_activity(rng, org, args.events, module_ids, required, now)
        fix_sequences()
        db.session.commit()
        slug = publish_one_module(org)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        manager = db.session.get(User, org.managers[1]).email
        hr = db.session.get(User, org.hr).email
    loaded = time.perf_counter() - started
    print(f"backend: {backend}   data generated and loaded in {loaded:.0f} s")
    print(f"  {len(org.people)} people in {teams} teams, " + ", ".join(
        f"{n:,} {what}" for what, n in counts.items()))
    return manager, hr, slug


def cold(url: str, folder: Path, email: str, path: str) -> tuple[float, int]:
    """The first request of a new application (its statement cache and pools empty)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(folder / "index"), "RATELIMIT_ENABLED": False})
    client = login(app, email)
    result = measure(app, client, path, 1, warmups=0)
    with app.app_context():
        db.engine.dispose()
    return result["p50"], result["queries"]


def run(app, args, manager: str, hr: str, slug: str, url: str, folder: Path) -> None:
    """Time the pages and print the report."""
    cold_team = cold(url, folder, manager, "/engagement/teams/1")
    cold_hr = cold(url, folder, hr, "/engagement/hr")
    manager_client, hr_client = login(app, manager), login(app, hr)
    results = {
        "module page": measure(app, manager_client, f"/modules/{slug}", args.repeat),
        "team dashboard": measure(app, manager_client, "/engagement/teams/1", args.repeat),
        "my engagement": measure(app, manager_client, "/engagement/me", args.repeat),
        "HR overview": measure(app, hr_client, "/engagement/hr", args.hr_repeat),
        "HR CSV": measure(app, hr_client, "/engagement/hr.csv", args.hr_repeat),
    }
    if args.profile:
        profile(app, manager_client, f"/modules/{slug}")
        profile(app, manager_client, "/engagement/teams/1")
        profile(app, hr_client, "/engagement/hr")
    print(f"cold (first request of a new app): team dashboard {cold_team[0]:.1f} ms, "
          f"{cold_team[1]} statements; HR overview {cold_hr[0]:.1f} ms, {cold_hr[1]} statements")
    print(f"{'page':<16}{'p50 ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, result in results.items():
        print(f"{name:<16}{result['p50']:>10.1f}{result['p95']:>10.1f}{result['queries']:>9}")
    ratio = results["team dashboard"]["p50"] / results["module page"]["p50"]
    worst = max(r["queries"] for r in results.values())
    print(f"team dashboard / module page (p50): {ratio:.1f}x (target <= 5x)")
    print(f"most queries on a page: {worst} (target <= 10)")
    snapshot_pages = max(results["team dashboard"]["queries"], results["HR overview"]["queries"],
                         cold_team[1], cold_hr[1])
    print(f"team dashboard and HR overview, cold and warm: at most {snapshot_pages} SQL "
          "statements (target <= 5)")


if __name__ == "__main__":
    main()
