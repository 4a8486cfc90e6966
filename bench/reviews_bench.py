"""Spaced-review benchmark: the home page with many people and cards, timed and counted.

    .venv/bin/python bench/reviews_bench.py [--people 10000] [--cards 200] [--repeat 40]

--cards is per person (10,000 x 200 = 2 million cards). Quick run: --people 1000 --cards 200.
Generates people and a catalog of modules with knowledge checks, then review cards in bulk
(about a tenth due now, a twentieth retired) and a review answer today for a third of the people.
Times the home page (the in-process test client, signed in, each request in its own app
context) for random people, and prints p50/p95, the SQL statements a request runs, and SQLite's
query plan of the due count (it must search the (user_id, retired, due) index, not scan).

Target (issue 20): the home page runs a bounded number of statements whatever the number of
cards, and the due count is one indexed query.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from sqlalchemy import event, insert, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from learnpath import create_app  # noqa: E402
from learnpath.accounts.models import User, UserRole  # noqa: E402
from learnpath.extensions import db  # noqa: E402
from learnpath.modules import authoring  # noqa: E402
from learnpath.reviews import services as reviews  # noqa: E402
from learnpath.reviews.models import ReviewCard, ReviewLog  # noqa: E402
from learnpath.reviews.questions import questions_of  # noqa: E402

PASSWORD = "bench password 123"
MODULES = 40
QUESTIONS = 5


def module_source(n: int) -> str:
    quizzes = "\n".join(f"<quiz>\nQuestion {q} of module {n}?\n- [x] Right\n- [ ] Wrong\n</quiz>\n"
                        for q in range(QUESTIONS))
    return f"---\ntitle: Module {n}\nlanguage: en\nduration: 5\n---\n# Module {n}\n\nText.\n\n" \
           f"{quizzes}"


def generate(people: int, per_person: int) -> None:
    rng = random.Random(20)
    keys = []
    for n in range(MODULES):
        module = authoring.create_module(f"bench-module-{n}", module_source(n))
        authoring.publish(module, None)
        keys += [(module.id, q.key) for q in questions_of(module.current_version)]
    db.session.commit()
    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    now = datetime.now(UTC)
    db.session.execute(insert(User), [
        {"id": i, "email": f"p{i}@bench.example", "display_name": f"Person {i}",
         "password_hash": password, "pseudonym": f"bench-{i}", "session_token": f"t{i}",
         "daily_reviews": 5, "active": True, "created_at": now} for i in range(1, people + 1)])
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"}
                                          for i in range(1, people + 1)])
    state = {"state": 2, "step": None, "stability": 5.0, "difficulty": 5.0}
    card_id = 0
    batch, logs = [], []
    for user_id in range(1, people + 1):
        for module_id, key in rng.sample(keys, min(per_person, len(keys))) if per_person <= len(
                keys) else [(keys[i % len(keys)][0], f"{keys[i % len(keys)][1]}-{i}")
                            for i in range(per_person)]:
            card_id += 1
            due = now + timedelta(days=rng.uniform(-3, 30))
            batch.append({"id": card_id, "user_id": user_id, "module_id": module_id,
                          "question_key": key, "due": due, "retired": rng.random() < 0.05,
                          "created_at": now - timedelta(days=40),
                          "state": {**state, "due": due.isoformat(),
                                    "last_review": (now - timedelta(days=5)).isoformat()}})
            if len(batch) >= 20000:
                db.session.execute(insert(ReviewCard), batch)
                batch = []
        if user_id % 3 == 0:
            logs.append({"user_id": user_id, "card_id": card_id, "rating": 3, "correct": True,
                         "selected": [0], "duration_ms": 12000, "reviewed_at": now,
                         "due_after": now + timedelta(days=5)})
    if batch:
        db.session.execute(insert(ReviewCard), batch)
    db.session.execute(insert(ReviewLog), logs)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--cards", type=int, default=200, help="cards per person")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="learnpath-reviews-bench-"))
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SEARCH_INDEX_DIR": str(folder / "index"),
                      "LOGIN_RATE_LIMIT": "100000 per minute"})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(args.people, args.cards)
        db.session.execute(text("ANALYZE"))
        print(f"generated {args.people:,} people and "
              f"{args.people * args.cards:,} cards in {time.perf_counter() - started:.1f} s")
        plan = db.session.execute(text(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM (SELECT id FROM review_cards "
            "WHERE user_id = 7 AND retired = 0 AND due <= :now LIMIT 5)"),
            {"now": datetime.now(UTC)}).all()
        print("due count plan:", " | ".join(row[-1] for row in plan))

    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
    rng = random.Random(7)
    timings, counts, offers = [], [], 0
    for _ in range(args.repeat):
        person = rng.randint(1, args.people)
        client = app.test_client()
        client.post("/login", data={"email": f"p{person}@bench.example", "password": PASSWORD})
        statements.clear()
        started = time.perf_counter()
        response = client.get("/")
        timings.append((time.perf_counter() - started) * 1000)
        counts.append(len([s for s in statements if not s.lstrip().upper().startswith(
            ("SAVEPOINT", "RELEASE", "PRAGMA"))]))
        offers += "Review (2 min)" in response.get_data(as_text=True)
    timings.sort()
    print(json.dumps({"home_p50_ms": round(statistics.median(timings), 1),
                      "home_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                      "statements_min": min(counts), "statements_max": max(counts),
                      "pages_with_review_offer": f"{offers} of {args.repeat}"}))
    with app.app_context():
        person = db.session.get(User, 7)
        statements.clear()
        reviews.offer(person)
        print(f"review offer: {len(statements)} statements")


if __name__ == "__main__":
    main()
