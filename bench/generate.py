"""Generate an organisation of a given size into a database, with its search index.

    .venv/bin/python bench/generate.py [--size full|small] [--people N] [--teams N]
        [--modules N] [--paths N] [--enrolments N] [--events N] [--seed N]
        [--database-url URL] [--index-dir DIR]

Default size (--size full): 10,000 people in 200 teams, 10,000 published modules (half Dutch,
half English, 3 to 15 minutes of text, three in four with a knowledge check), 200 growth paths,
20,000 enrolments and 1,000,000 activity events over the last year, with completions, pulse
answers and kudos in proportion. --size small is a 100-person organisation of the same shape
(bench/queries.py compares the two). Every --option overrides the preset.

The database is the app's configured one (LEARNPATH_DATABASE_URL, else the SQLite file in the
instance folder) unless --database-url is given. ITS LEARNPATH TABLES ARE DROPPED AND CREATED
AGAIN: give it a database of its own (e.g. sqlite:///bench/.data/full.db or a PostgreSQL
database such as learnpath_bench). The search index goes to --index-dir (default: beside a
SQLite file, else bench/.data/index-<database name>); start the app with the same
LEARNPATH_SEARCH_INDEX_DIR.

Module texts come from the word-pair model of bench/search_bench.py: a few dozen Markdown
templates per language are parsed and rendered by the app (learnpath.modules.parsing), and each
module reuses one, with its own title, summary and a first paragraph of its own rendered by the
app's Markdown renderer. Rows go in with bulk inserts through the app's models; the output is
the same from the same --seed. Every generated person can sign in with the password
"bench password 123"; p1@bench.example is a team manager, hr1@bench.example is HR.
"""

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DATA = BENCH / ".data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from search_bench import DURATIONS, LEVELS, WORDS_PER_MINUTE, Writer  # noqa: E402
from sqlalchemy import insert, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from learnpath import create_app  # noqa: E402
from learnpath.accounts.models import Team, TeamMembership, User, UserRole  # noqa: E402
from learnpath.engagement import indicator as ind  # noqa: E402
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer  # noqa: E402
from learnpath.extensions import db  # noqa: E402
from learnpath.modules.authoring import _stored_question  # noqa: E402
from learnpath.modules.models import Completion, Module, ModuleVersion, Question  # noqa: E402
from learnpath.modules.parsing import parse_module  # noqa: E402
from learnpath.modules.rendering import render_markdown  # noqa: E402
from learnpath.paths.models import (  # noqa: E402
    Enrolment,
    GrowthPath,
    PathStep,
    PathTarget,
)
from learnpath.skills import services as skill_services  # noqa: E402
from learnpath.skills.models import Skill  # noqa: E402

PASSWORD = "bench password 123"
LANGUAGES = ("en", "nl")
TEMPLATES_PER_LANGUAGE = 24
QUIZ_SHARE = 0.75  # modules with a knowledge check
SHARE_COMPLETIONS, SHARE_PULSE, SHARE_KUDOS = 0.20, 0.37, 0.05
HR_PEOPLE, AUTHORS = 5, 5
CHUNK = 5_000
TZ = ZoneInfo("Europe/Amsterdam")

PRESETS = {
    "full": {"people": 10_000, "teams": 200, "modules": 10_000, "paths": 200,
             "enrolments": 20_000, "events": 1_000_000},
    "small": {"people": 100, "teams": 10, "modules": 200, "paths": 10,
              "enrolments": 200, "events": 5_000},
}


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.shown = label, max(1, total), 0, -1
        self.started = time.perf_counter()

    def add(self, count: int = 1) -> None:
        self.done += count
        percent = min(100, self.done * 100 // self.total) // 4 * 4
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r  {self.label:<22} [{bar:<25}] {percent:3d}% "
                             f"{self.done:>10,}/{self.total:,}")
            sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write(f"  {time.perf_counter() - self.started:6.1f} s\n")
        sys.stderr.flush()


def bulk(model, rows, progress: Progress | None = None) -> None:
    """Insert dicts in chunks through the model's table (executemany / multi-row VALUES)."""
    table = model.__table__
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        db.session.execute(insert(table), chunk)
        if progress:
            progress.add(len(chunk))


def _moment(rng: random.Random, now: datetime, days: float = 365) -> datetime:
    return now - timedelta(seconds=rng.uniform(0, days * 86400))


# Content ---------------------------------------------------------------------------------------


def markdown_body(writer: Writer, rng: random.Random, minutes: int, quiz: bool) -> str:
    """A Markdown body of about `minutes` of reading, optionally with a knowledge check."""
    target = int(minutes * WORDS_PER_MINUTE * rng.uniform(0.85, 1.15))
    parts, count = [], 0
    while count < target:
        roll = rng.random()
        if roll < 0.12:
            heading = writer.sentence(2, 5).rstrip(".")
            parts.append(f"## {heading}")
            count += len(heading.split())
        elif roll < 0.22:
            items = [writer.sentence(4, 12) for _ in range(rng.randint(2, 5))]
            parts.append("\n".join(f"- {item}" for item in items))
            count += sum(len(i.split()) for i in items)
        else:
            sentences = [writer.sentence() for _ in range(rng.randint(2, 6))]
            paragraph = " ".join(sentences)
            if rng.random() < 0.3:
                words = paragraph.split(" ")
                words[1] = f"**{words[1]}**"
                paragraph = " ".join(words)
            parts.append(paragraph)
            count += sum(len(s.split()) for s in sentences)
    if quiz:
        for _ in range(rng.randint(1, 3)):
            prompt = writer.sentence(5, 10).rstrip(".") + "?"
            options = [writer.sentence(3, 7) for _ in range(rng.randint(2, 4))]
            correct = set(rng.sample(range(len(options)), 2 if rng.random() < 0.2 else 1))
            lines = [f"- [{'x' if i in correct else ' '}] {o}" for i, o in enumerate(options)]
            parts.append("<quiz>\n" + prompt + "\n" + "\n".join(lines) + "\n\n"
                         + writer.sentence(6, 12) + "\n</quiz>")
    return "\n\n".join(parts) + "\n"


def make_templates(rng: random.Random, writers: dict) -> dict[str, list[dict]]:
    """Parse and render a few dozen module bodies per language with the app's parser."""
    templates: dict[str, list[dict]] = {}
    for language in LANGUAGES:
        templates[language] = []
        for number in range(TEMPLATES_PER_LANGUAGE):
            minutes = DURATIONS[number * len(DURATIONS) // TEMPLATES_PER_LANGUAGE]
            quiz = number % 4 != 0
            body = markdown_body(writers[language], rng, minutes, quiz)
            source = f"---\ntitle: Template {number}\nlanguage: {language}\n---\n\n{body}"
            parsed = parse_module(source, f"template-{number}.md", language)
            assert parsed.ok, parsed.errors
            templates[language].append({
                "body": body, "html": parsed.html, "toc_html": parsed.toc_html,
                "duration": parsed.duration, "quiz": quiz,
                "questions": [_question_row(q) for q in parsed.questions]})
    return templates


def _question_row(question) -> dict:
    """The questions row the app stores for a parsed question (authoring._stored_question)."""
    row = _stored_question(question)
    return {"position": row.position, "kind": row.kind, "prompt_html": row.prompt_html,
            "options": row.options, "multiple": row.multiple,
            "feedback_html": row.feedback_html}


def make_catalog(rng: random.Random, writers: dict, count: int, now: datetime) -> dict:
    """Modules, one published version each (with questions); nl/en pairs share a group."""
    templates = make_templates(rng, writers)
    skill_slugs = sorted(skill_services.known_skill_slugs())
    modules, versions, questions = [], [], []
    progress = Progress("modules (render)", count)
    question_id = 0
    catalog = {"ids": [], "quiz": set(), "skills": {}, "language": {}}
    for module_id in range(1, count + 1):
        language = LANGUAGES[module_id % 2]
        writer = writers[language]
        template = templates[language][rng.randrange(TEMPLATES_PER_LANGUAGE)]
        title = " ".join(writer.sentence(3, 7).rstrip(".").split()[:7])[:190]
        summary = writer.sentence(8, 18)
        level = rng.choice(LEVELS)
        skills = rng.sample(skill_slugs, rng.randint(1, 3)) if skill_slugs else []
        tags = rng.sample(writer.frequent[:80], rng.randint(1, 3))
        intro = writer.sentence() + " " + writer.sentence()
        intro_html, _toc = render_markdown(intro)
        slug = f"{'module' if language == 'en' else 'module-nl'}-{module_id}"
        group = f"group-{(module_id + 1) // 2}"
        front = {"title": title, "summary": summary, "language": language,
                 "duration": template["duration"], "level": level, "skills": skills,
                 "tags": tags}
        source = ("---\n" + "\n".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items())
            + f"\n---\n\n{intro}\n\n{template['body']}")
        published = _moment(rng, now, 730)
        modules.append({"id": module_id, "slug": slug, "language": language,
                        "status": "published", "translation_group": group,
                        "draft_source": source, "draft_title": title, "edit_count": 1,
                        "created_at": published, "updated_at": published})
        versions.append({"id": module_id, "module_id": module_id, "number": 1, "title": title,
                         "summary": summary, "language": language,
                         "duration": template["duration"], "level": level, "skills": skills,
                         "tags": tags, "translation_of": None, "front_matter": front,
                         "source": source, "html": intro_html + "\n" + template["html"],
                         "toc_html": template["toc_html"],
                         "content_hash": hashlib.sha256(source.encode()).hexdigest(),
                         "published_at": published, "published_by_id": None})
        for question in template["questions"]:
            question_id += 1
            questions.append({"id": question_id, "version_id": module_id, **question})
        catalog["ids"].append(module_id)
        catalog["skills"][module_id] = skills
        catalog["language"][module_id] = language
        if template["questions"]:
            catalog["quiz"].add(module_id)
        progress.add()
    progress.close()
    progress = Progress("modules (insert)", len(modules) * 2 + len(questions))
    bulk(Module, modules, progress)
    bulk(ModuleVersion, versions, progress)
    bulk(Question, questions, progress)
    db.session.execute(update(Module).values(current_version_id=Module.id))
    progress.close()
    return catalog


def make_paths(rng: random.Random, writers: dict, count: int, catalog: dict,
               now: datetime) -> dict[int, list[int]]:
    """Growth paths of 5 to 10 steps (the last one or two optional) with skill targets."""
    skill_ids = list(db.session.scalars(db.select(Skill.id)))
    paths, steps, targets, required = [], [], [], {}
    for path_id in range(1, count + 1):
        title_en = " ".join(writers["en"].sentence(3, 6).rstrip(".").split()[:6])
        title_nl = " ".join(writers["nl"].sentence(3, 6).rstrip(".").split()[:6])
        paths.append({"id": path_id, "slug": f"path-{path_id}", "title_nl": title_nl[:190],
                      "title_en": title_en[:190],
                      "description_nl": writers["nl"].sentence(10, 20),
                      "description_en": writers["en"].sentence(10, 20),
                      "kind": rng.choice(("vertical", "horizontal")), "status": "published",
                      "created_at": now, "updated_at": now})
        chosen = rng.sample(catalog["ids"], rng.randint(5, 10))
        optional = rng.randint(0, 2)
        required[path_id] = chosen[:len(chosen) - optional]
        for position, module_id in enumerate(chosen):
            steps.append({"path_id": path_id, "module_id": module_id, "position": position,
                          "optional": position >= len(chosen) - optional})
        for skill_id in rng.sample(skill_ids, min(len(skill_ids), rng.randint(1, 3))):
            targets.append({"path_id": path_id, "skill_id": skill_id,
                            "level": rng.randint(1, 4)})
    bulk(GrowthPath, paths)
    bulk(PathStep, steps)
    bulk(PathTarget, targets)
    return required


class Org:
    def __init__(self):
        self.people: list[int] = []
        self.team_of: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.managers: dict[int, int] = {}


def make_people(rng: random.Random, count: int, teams: int, now: datetime) -> Org:
    """People in teams (one manager each, a member of the team too), HR people and authors."""
    org = Org()
    password = generate_password_hash(PASSWORD, method="scrypt")
    users, roles, memberships, team_rows = [], [], [], []
    for team_id in range(1, teams + 1):
        team_rows.append({"id": team_id, "name": f"Team {team_id:04d}", "created_at": now})
        org.members[team_id] = []
    for user_id in range(1, count + 1):
        team_id = (user_id - 1) % teams + 1
        users.append({"id": user_id, "email": f"p{user_id}@bench.example",
                      "display_name": f"Person {user_id}", "password_hash": password,
                      "locale": LANGUAGES[user_id % 2], "active": True,
                      "session_token": f"token-{user_id}", "created_at": now})
        roles.append({"user_id": user_id, "role": "employee"})
        org.people.append(user_id)
        org.team_of[user_id] = team_id
        org.members[team_id].append(user_id)
        memberships.append({"team_id": team_id, "user_id": user_id, "kind": "member"})
    for team_id, members in org.members.items():
        manager = members[0]
        org.managers[team_id] = manager
        memberships.append({"team_id": team_id, "user_id": manager, "kind": "manager"})
        roles.append({"user_id": manager, "role": "manager"})
    extra = count
    for kind, number in (("hr", HR_PEOPLE), ("author", AUTHORS)):
        for n in range(1, number + 1):
            extra += 1
            users.append({"id": extra, "email": f"{kind}{n}@bench.example",
                          "display_name": f"{kind.upper()} {n}", "password_hash": password,
                          "locale": "en", "active": True, "session_token": f"token-{extra}",
                          "created_at": now})
            roles += [{"user_id": extra, "role": "employee"}, {"user_id": extra, "role": kind}]
    bulk(User, users)
    bulk(UserRole, roles)
    bulk(Team, team_rows)
    bulk(TeamMembership, memberships)
    return org


def make_activity(rng: random.Random, org: Org, catalog: dict, required: dict,
                  enrolment_count: int, events: int, now: datetime) -> dict[str, int]:
    """Completions, pulse answers, kudos and enrolments, then more events up to `events`."""
    people, module_ids = org.people, catalog["ids"]
    slug = {m: f"{'module' if catalog['language'][m] == 'en' else 'module-nl'}-{m}"
            for m in module_ids}
    counts: dict[str, int] = {}
    log: list[tuple] = []

    # Enrolments first: people do the steps of their paths more often than other modules.
    pairs: set[tuple[int, int]] = set()
    path_ids = sorted(required)
    enrolment_count = min(enrolment_count, len(people) * len(path_ids))
    while len(pairs) < enrolment_count:
        pairs.add((rng.choice(people), rng.choice(path_ids)))
    enrolments, on_path = [], {}
    for user_id, path_id in sorted(pairs):
        enrolled = _moment(rng, now, 200)
        state = rng.choices(("active", "completed", "withdrawn"), (70, 20, 10))[0]
        ended = enrolled + (now - enrolled) * rng.random() if state != "active" else None
        assigned = rng.random() < 0.5
        due = ((enrolled + timedelta(days=rng.randint(30, 120))).date() if assigned else None)
        manager = org.managers[org.team_of[user_id]]
        enrolments.append({
            "user_id": user_id, "path_id": path_id, "source": "assigned" if assigned else "self",
            "assigned_by_id": manager if assigned and manager != user_id else None,
            "due_date": due, "note": "Please finish this quarter." if assigned else "",
            "state": state, "enrolled_at": enrolled,
            "completed_at": ended if state == "completed" else None,
            "withdrawn_at": ended if state == "withdrawn" else None})
        log.append(("registered", "path", f"path-{path_id}", user_id, enrolled))
        on_path.setdefault(user_id, []).extend(required[path_id])
    enrolments.sort(key=lambda row: row["enrolled_at"])

    per_person = SHARE_COMPLETIONS * events / len(people)
    completions = []
    progress = Progress("activity (plan)", len(people))
    for user_id in people:
        n = min(len(module_ids), max(0, round(rng.gauss(per_person, per_person / 3))))
        chosen = set(rng.sample(on_path.get(user_id, []), min(n, len(on_path.get(user_id, [])))
                                ) if rng.random() < 0.7 else [])
        while len(chosen) < n:
            chosen.add(rng.choice(module_ids))
        for module_id in chosen:
            when = _moment(rng, now)
            score = round(rng.uniform(0.5, 1), 2) if module_id in catalog["quiz"] else None
            completions.append({"user_id": user_id, "module_id": module_id,
                                "version_id": module_id, "completed_at": when, "score": score})
            log.append(("completed", "module", slug[module_id], user_id, when))
        progress.add()
    progress.close()
    completions.sort(key=lambda row: row["completed_at"])

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

    kudos = []
    for _ in range(round(SHARE_KUDOS * events)):
        giver = rng.choice(people)
        mates = org.members[org.team_of[giver]]
        receiver = rng.choice(mates) if rng.random() < 0.7 else rng.choice(people)
        if receiver == giver:
            continue
        when = _moment(rng, now)
        kudos.append({"id": len(kudos) + 1, "from_id": giver, "to_id": receiver,
                      "message": "Thank you for your help!", "created_at": when,
                      "seen_at": when if rng.random() < 0.8 else None})
    kudos.sort(key=lambda row: row["created_at"])
    for number, row in enumerate(kudos, 1):
        row["id"] = number
        log.append(("shared", "kudos", str(number), row["from_id"], row["created_at"]))

    while len(log) < events:
        user_id = rng.choice(people)
        module_id = rng.choice(module_ids)
        verb = rng.choice(("experienced", "answered", "answered", "passed"))
        log.append((verb, "question" if verb == "answered" else "module",
                    slug[module_id] + ("#1" if verb == "answered" else ""),
                    user_id, _moment(rng, now)))
    log = log[:events]
    log.sort(key=lambda entry: entry[4])

    total = len(enrolments) + len(completions) + len(answers) + len(kudos) + len(log)
    progress = Progress("activity (insert)", total)
    bulk(Enrolment, enrolments, progress)
    bulk(Completion, completions, progress)
    bulk(PulseAnswer, answers, progress)
    bulk(Kudos, kudos, progress)
    rows = []
    for verb, object_type, object_id, actor, when in log:
        rows.append({"actor_id": actor, "verb": verb, "object_type": object_type,
                     "object_id": object_id, "result_score": None,
                     "result_success": True if verb in ("completed", "passed") else None,
                     "result_response": None, "context": {}, "timestamp": when})
        if len(rows) == CHUNK * 4:
            bulk(ActivityEvent, rows, progress)
            rows = []
    bulk(ActivityEvent, rows, progress)
    progress.close()
    counts.update({"enrolments": len(enrolments), "completions": len(completions),
                   "pulse answers": len(answers), "kudos": len(kudos),
                   "activity events": len(log)})
    return counts


def fix_sequences() -> None:
    """PostgreSQL: move id sequences past the ids the bulk inserts chose themselves."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "teams", "modules", "module_versions", "questions", "growth_paths",
                  "kudos"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def absolute_url(url: str) -> str:
    """SQLite paths relative to the current folder (Flask-SQLAlchemy would take the instance)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and \
            parsed.database != ":memory:" and not Path(parsed.database).is_absolute():
        return parsed.set(database=str(Path(parsed.database).resolve())).render_as_string(
            hide_password=False)
    return url


def default_index_dir(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return Path(parsed.database).with_suffix(".index")
    return DATA / f"index-{parsed.database}"


def generate(url: str, index_dir: Path, sizes: dict, seed: int) -> dict:
    """Build the organisation; returns what was made (also written beside the index)."""
    started = time.perf_counter()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(index_dir), "RATELIMIT_ENABLED": False})
    rng = random.Random(seed)
    # Whole seconds: the same seed gives the same rows on the same day.
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with app.app_context():
        backend = db.engine.dialect.name
        print(f"database: {db.engine.url.render_as_string(hide_password=True)} ({backend})")
        if backend == "postgresql":  # whatever is there, tables of other versions included
            db.session.execute(text("DROP SCHEMA public CASCADE"))
            db.session.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.create_all()
        skill_services.import_skills((ROOT / "content" / "skills.yml").read_text("utf-8"))
        db.session.flush()
        writers = {language: Writer(language, random.Random(seed + n))
                   for n, language in enumerate(LANGUAGES)}
        org = make_people(rng, sizes["people"], min(sizes["teams"], sizes["people"]), now)
        catalog = make_catalog(rng, writers, sizes["modules"], now)
        required = make_paths(rng, writers, sizes["paths"], catalog, now)
        counts = make_activity(rng, org, catalog, required, sizes["enrolments"],
                               sizes["events"], now)
        fix_sequences()
        db.session.commit()
        _stamp_migrations()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        loaded = time.perf_counter() - started
        print(f"data loaded in {loaded:.0f} s; building the search index ...", flush=True)
        from learnpath import search

        progress = Progress("search index", sizes["modules"])
        search.rebuild(progress=lambda done, total: progress.add())
        progress.close()
    summary = {"database": url, "index_dir": str(index_dir), "backend": backend, "seed": seed,
               "sizes": sizes, "counts": {"people": len(org.people),
                                          "teams": len(org.members),
                                          "modules": len(catalog["ids"]),
                                          "paths": len(required), **counts},
               "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(summary["counts"]), f"in {summary['seconds']} s")
    return summary


def _stamp_migrations() -> None:
    """Mark the schema as at the newest migration, so `flask db upgrade` leaves it alone."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL "
                            "PRIMARY KEY)"))
    db.session.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
    db.session.commit()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(PRESETS), default="full")
    for name in PRESETS["full"]:
        parser.add_argument(f"--{name}", type=int, help=f"default: {PRESETS['full'][name]:,}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="default: the app's configured database")
    parser.add_argument("--index-dir", help="search index folder")
    args = parser.parse_args(argv)
    sizes = {name: getattr(args, name) if getattr(args, name) is not None else value
             for name, value in PRESETS[args.size].items()}
    return args, sizes


def main(argv=None) -> None:
    args, sizes = parse_args(argv)
    url = args.database_url
    if not url:
        with create_app().app_context():
            url = str(db.engine.url.render_as_string(hide_password=False))
    url = absolute_url(url)
    index_dir = Path(args.index_dir) if args.index_dir else default_index_dir(url)
    DATA.mkdir(exist_ok=True)
    summary = generate(url, index_dir.resolve(), sizes, args.seed)
    (index_dir.parent / f"{index_dir.name}.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
