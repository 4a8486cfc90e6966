"""Load test: the app under gunicorn next to a bare Flask ceiling, page by page, plus writes.

    .venv/bin/python bench/load.py --database-url sqlite:///bench/.data/full.db
        [--database-url postgresql://postgres@127.0.0.1/learnpath_bench] [--workers 2]
        [--duration 15] [--ceiling-duration 5] [--concurrency 8]
        [--mixed-duration 30] [--pages "module page,HR overview"] [--out bench/results/NAME]

The database comes from bench/generate.py (its search index is found the same way). In one run
this script starts two gunicorn servers on loopback with the same settings (sync workers,
--workers of them): the app against that database and bench/ceiling_app.py, a Flask app that
answers "hello". A load generator of its own (asyncio, one new connection per request, as sync
workers close every connection) signs in many people through the real login form, then drives
each page for --duration seconds with --concurrency requests in flight, spread over those
people, and measures the ceiling for --ceiling-duration seconds before every page and after the
last: a page is compared with the mean of the ceiling runs just before and just after it, so
both see the same machine. Reported per page: requests/s, p50 and p99 latency, errors (any
answer but 200, or a failed connection), requests/s as a percentage of the ceiling and p99 as a
multiple of the ceiling's p99, and the issue's target. Before the servers start, each page's
cost in process is measured too (bench/measure.py: CPU milliseconds per request and SQL
statements), so one run gives, per page, what it costs and what share of the ceiling it reaches.
Several --database-url run one after the other in the same run (SQLite, then PostgreSQL).

Then the mixed scenario (--mixed-duration seconds): browsing modules, searching, filtering,
completing modules (the real POST form with its CSRF token; some completions repeated) and
giving kudos (each with a unique message). Afterwards the database is checked: each
acknowledged completion has exactly one row and one "completed" event, each acknowledged kudos
exactly one row and one "shared" event, and nothing else was written for these requests.

Last, the peak resident memory (VmHWM) of each app worker. Writes NAME.json and NAME.md.
Sign-ins are rate limited in the app: the server gets LEARNPATH_LOGIN_RATE_LIMIT raised for the
run. The mixed scenario writes to the database: generate it again for a pristine organisation.
"""

import argparse
import asyncio
import http.client
import json
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("LEARNPATH_INSTANCE_PATH", tempfile.mkdtemp(prefix="learnpath-bench-"))

from generate import absolute_url, default_index_dir  # noqa: E402
from measure import page_costs  # noqa: E402
from pages import (  # noqa: E402
    PAGES,
    PASSWORD,
    REFERENCE_PAGES,
    Organisation,
    organisation,
    url_for_page,
)
from sqlalchemy import func, select  # noqa: E402

from learnpath import create_app  # noqa: E402
from learnpath.accounts.models import TeamMembership  # noqa: E402
from learnpath.engagement.models import ActivityEvent, Kudos  # noqa: E402
from learnpath.extensions import db  # noqa: E402
from learnpath.modules.models import Completion, Module  # noqa: E402

HOST = "127.0.0.1"
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# page -> (minimum share of the ceiling's requests/s on SQLite, on PostgreSQL); issue 24
SHARE_TARGETS = {
    "static page, signed in": (50, 35), "module page": (25, 25),
    "catalog: query": (8, 8), "catalog: facets": (8, 8),
    "employee home": (15, 15), "path page": (15, 15), "manager team page": (12, 12),
    "team engagement": (15, 15), "HR overview": (15, 15),
}
P99_LIMIT = {"sqlite": 5}  # every page's p99 at most this multiple of the ceiling's p99
STATEMENT_LIMITS = {"module page": 5, "employee home": 8, "path page": 8, "catalog: query": 8,
                    "catalog: facets": 8}


def target_of(page: str, backend: str) -> tuple[float | None, float | None, int | None]:
    """(minimum % of the ceiling, maximum p99 multiple, maximum statements) of a page."""
    shares = SHARE_TARGETS.get(page)
    share = None if shares is None else shares[0 if backend == "sqlite" else 1]
    return share, P99_LIMIT.get(backend), STATEMENT_LIMITS.get(page)


CSRF = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


# Servers ---------------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, port: int, args: list[str], env: dict, workers: int,
                 log: Path):
        self.name, self.port = name, port
        command = [GUNICORN, "--workers", str(workers), "--worker-class", "sync",
                   "--bind", f"{HOST}:{port}", "--backlog", "2048", "--timeout", "120",
                   "--log-level", "warning", *args]
        self.log = log.open("w")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log,
                                        cwd=ROOT)

    def wait_ready(self, path: str = "/", timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", path)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> list[float]:
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# HTTP ------------------------------------------------------------------------------------------


@dataclass
class Session:
    person: object
    cookie: str = ""
    csrf: str = ""


def _cookie_from(headers: list[tuple[str, str]], current: str) -> str:
    jar = dict(part.split("=", 1) for part in current.split("; ") if "=" in part)
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _sep, val = pair.partition("=")
            jar[key] = val
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(port: int, person) -> Session:
    """The real login form: GET for the CSRF token, POST, then a page for a form token."""
    session = Session(person)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/login")
    response = conn.getresponse()
    body = response.read()
    session.cookie = _cookie_from(response.getheaders(), "")
    token = CSRF.search(body).group(1).decode()
    conn.close()
    form = urllib.parse.urlencode({"email": person.email, "password": PASSWORD,
                                   "csrf_token": token})
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("POST", "/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": session.cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 302:
        raise RuntimeError(f"login of {person.email} gave {response.status}")
    session.cookie = _cookie_from(response.getheaders(), session.cookie)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/kudos", headers={"Cookie": session.cookie})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    session.cookie = _cookie_from(response.getheaders(), session.cookie)
    session.csrf = CSRF.search(body).group(1).decode()
    return session


def raw_request(method: str, path: str, cookie: str = "", form: dict | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: close",
             "User-Agent: learnpath-bench", "Accept-Language: en"]
    body = b""
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        lines += ["Content-Type: application/x-www-form-urlencoded",
                  f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def fetch(port: int, payload: bytes) -> int:
    """Send one request on a new connection; the status code (0 when the connection failed)."""
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(payload)
        data = await reader.read(-1)
        writer.close()
        return int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    except (OSError, ValueError):
        return 0


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def drive(name: str, port: int, make_request, duration: float, concurrency: int,
                warmup: float = 1.0, expect=(200,), on_done=None) -> Result:
    """Keep `concurrency` requests in flight for warmup + duration seconds; measure the rest."""
    start = time.perf_counter()
    measure_from = start + warmup
    end = measure_from + duration
    result = Result(name, duration)
    counter = 0

    async def loop():
        nonlocal counter
        while time.perf_counter() < end:
            counter += 1
            request = make_request(counter)
            payload = request if isinstance(request, bytes) else request[0]
            sent = time.perf_counter()
            status = await fetch(port, payload)
            done = time.perf_counter()
            if on_done is not None:
                on_done(request, status)
            if done < measure_from:  # a slow page: what ends in the window counts
                continue
            result.latencies.append(done - sent)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status not in expect:
                result.errors += 1

    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return result


# Scenarios -------------------------------------------------------------------------------------


def page_requests(page: str, sessions: list[Session], org: Organisation):
    def make(number: int) -> bytes:
        session = sessions[number % len(sessions)]
        return raw_request("GET", url_for_page(page, session.person, org, number),
                           session.cookie)
    return make


class Mixed:
    """Browse, search, filter, complete modules and give kudos; remembers what was acknowledged."""

    def __init__(self, sessions: list[Session], org: Organisation, mates: dict, open_pairs: dict,
                 run_id: str, rng: random.Random):
        self.sessions, self.org, self.mates, self.rng = sessions, org, mates, rng
        self.open_pairs = open_pairs  # user id -> modules (plain) the person has not done
        self.run_id = run_id
        self.completions_acked: set[tuple[int, str]] = set()
        self.completions_sent: set[tuple[int, str]] = set()
        self.repeats = 0
        self.kudos_acked: list[str] = []
        self.kudos_sent: list[str] = []

    def make(self, number: int):
        session = self.sessions[number % len(self.sessions)]
        person = session.person
        roll = self.rng.random()
        if roll < 0.15 and self.open_pairs.get(person.id):
            done = [s for (u, s) in self.completions_acked if u == person.id]
            if done and self.rng.random() < 0.2:
                slug = self.rng.choice(done)  # a repeat: must not become a second row
                self.repeats += 1
            else:
                slug = self.open_pairs[person.id].pop()
            self.completions_sent.add((person.id, slug))
            return (raw_request("POST", f"/modules/{slug}/complete", session.cookie,
                                {"csrf_token": session.csrf}), ("complete", person.id, slug))
        if roll < 0.30 and self.mates.get(person.id):
            message = f"bench {self.run_id} kudos {number}"
            self.kudos_sent.append(message)
            return (raw_request("POST", "/kudos", session.cookie, {
                "csrf_token": session.csrf, "to": str(self.mates[person.id]),
                "message": message}), ("kudos", message))
        if roll < 0.50:
            page = "catalog: query"
        elif roll < 0.60:
            page = "catalog: facets"
        elif roll < 0.90:
            page = "module page"
        else:
            page = "employee home"
        return (raw_request("GET", url_for_page(page, person, self.org, number),
                            session.cookie), ("get",))

    def done(self, request, status: int) -> None:
        what = request[1]
        if what[0] == "complete" and status == 302:
            self.completions_acked.add((what[1], what[2]))
        elif what[0] == "kudos" and status == 302:
            self.kudos_acked.append(what[1])


def verify_mixed(mixed: Mixed) -> dict:
    """Compare the database with what the load generator sent and got acknowledged.

    Completions were sent only for pairs not done before the run, and every kudos message is
    unique to this run, so every matching row or event comes from this run.
    """
    sent = mixed.completions_sent
    user_ids = {u for u, _s in sent}
    slugs = {s for _u, s in sent}
    rows = db.session.execute(
        select(Completion.user_id, Module.slug, func.count())
        .join(Module, Module.id == Completion.module_id)
        .where(Completion.user_id.in_(user_ids or [0]), Module.slug.in_(slugs or [""]))
        .group_by(Completion.user_id, Module.slug)).all()
    stored = {(u, s): n for u, s, n in rows if (u, s) in sent}
    events = db.session.execute(
        select(ActivityEvent.actor_id, ActivityEvent.object_id, func.count())
        .where(ActivityEvent.verb == "completed", ActivityEvent.object_type == "module",
               ActivityEvent.actor_id.in_(user_ids or [0]),
               ActivityEvent.object_id.in_(slugs or [""]))
        .group_by(ActivityEvent.actor_id, ActivityEvent.object_id)).all()
    stored_events = {(u, s): n for u, s, n in events if (u, s) in sent}
    kudos = db.session.execute(
        select(Kudos.message, func.count()).where(Kudos.message.like(
            f"bench {mixed.run_id} kudos %")).group_by(Kudos.message)).all()
    stored_kudos = dict(kudos)
    kudos_ids = select(func.cast(Kudos.id, db.String)).where(
        Kudos.message.like(f"bench {mixed.run_id} kudos %")).scalar_subquery()
    kudos_events = db.session.scalar(
        select(func.count()).select_from(ActivityEvent).where(
            ActivityEvent.verb == "shared", ActivityEvent.object_type == "kudos",
            ActivityEvent.object_id.in_(kudos_ids)))
    acked = mixed.completions_acked
    report = {
        "completions acknowledged": len(acked),
        "completion repeats sent": mixed.repeats,
        "completion rows": sum(stored.values()),
        "completions lost": len(acked - set(stored)),
        "completions duplicated": sum(n - 1 for n in stored.values() if n > 1),
        "completions not acknowledged but stored": len(set(stored) - acked),
        "completed events": sum(stored_events.values()),
        "completed events lost or duplicated": sum(
            abs(stored_events.get(pair, 0) - 1) for pair in acked)
        + sum(n for pair, n in stored_events.items() if pair not in acked),
        "kudos acknowledged": len(mixed.kudos_acked),
        "kudos rows": sum(stored_kudos.values()),
        "kudos lost": len(set(mixed.kudos_acked) - set(stored_kudos)),
        "kudos duplicated": sum(n - 1 for n in stored_kudos.values() if n > 1),
        "kudos not acknowledged but stored": len(set(stored_kudos) - set(mixed.kudos_acked)),
        "shared events": kudos_events,
        "shared events lost or duplicated": abs(kudos_events - len(mixed.kudos_acked)),
    }
    report["ok"] = all(report[key] == 0 for key in report if any(
        word in key for word in ("lost", "duplicated", "not acknowledged")))
    return report


# Main ------------------------------------------------------------------------------------------


def _ratio_text(value: float) -> str:
    return f"{value:.1f}" if value == value else "-"


def _cpu_text(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.2f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, action="append")
    parser.add_argument("--index-dir", help="search index (one --database-url only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--ceiling-duration", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--mixed-duration", type=float, default=30)
    parser.add_argument("--employees", type=int, default=100, help="people signed in")
    parser.add_argument("--managers", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=20, help="timed requests in process")
    parser.add_argument("--pages", help="comma-separated subset of: "
                        + ", ".join([*REFERENCE_PAGES, *PAGES]))
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--out", help="write OUT-<backend>.json and .md (default "
                                      "bench/results/load-<backend>)")
    args = parser.parse_args(argv)
    all_met = True
    for url in args.database_url:
        report = run_database(args, absolute_url(url))
        all_met &= report["all targets met"]
    return 0 if all_met else 1


def run_database(args, url: str) -> dict:
    index_dir = Path(args.index_dir) if args.index_dir else default_index_dir(url)
    pages = ([p.strip() for p in args.pages.split(",")] if args.pages
             else [*REFERENCE_PAGES, *PAGES])
    costs, backend = page_costs(url, args.repeat, set(pages))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_INDEX_DIR": str(index_dir)})
    with app.app_context():
        org = organisation(employees=args.employees, managers=args.managers)
        mates, open_pairs = _mixed_plan(org)
    out = Path(f"{args.out}-{backend}") if args.out else BENCH / "results" / f"load-{backend}"
    out.parent.mkdir(parents=True, exist_ok=True)

    env = dict(os.environ, LEARNPATH_DATABASE_URL=url, LEARNPATH_SEARCH_INDEX_DIR=str(index_dir),
               LEARNPATH_SECRET_KEY="bench-" + "k" * 40, LEARNPATH_CONFIG="default",
               LEARNPATH_LOGIN_RATE_LIMIT="100000 per minute",
               LEARNPATH_INSTANCE_PATH=tempfile.mkdtemp(prefix="learnpath-load-"))
    logs = Path(tempfile.mkdtemp(prefix="learnpath-load-logs-"))
    app_server = Server("app", args.port, ["--chdir", str(ROOT), "learnpath:create_app()"],
                        env, args.workers,
                        logs / "app.log")
    ceiling = Server("ceiling", args.port + 1, ["--chdir", str(BENCH), "ceiling_app:app"], env,
                     args.workers, logs / "ceiling.log")
    try:
        app_server.wait_ready("/healthz")
        ceiling.wait_ready()
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            sessions = {role: list(pool.map(lambda p: sign_in(args.port, p), org.people(role)))
                        for role in ("employee", "manager", "hr")}
        print(f"{backend}: signed in {sum(map(len, sessions.values()))} people in "
              f"{time.perf_counter() - started:.1f} s; logs in {logs}", flush=True)
        report = asyncio.run(run(args, org, sessions, pages, app_server, ceiling, mates,
                                 open_pairs, app, backend, costs))
    finally:
        app_server.stop()
        ceiling.stop()
        with app.app_context():
            db.engine.dispose()
    report.update({"backend": backend, "workers": args.workers, "duration": args.duration,
                   "concurrency": args.concurrency, "cpus": os.cpu_count(),
                   "python": sys.version.split()[0]})
    out.with_suffix(".json").write_text(json.dumps(report, indent=2, default=str))
    markdown = render(report)
    out.with_suffix(".md").write_text(markdown)
    print(markdown, flush=True)
    return report


def _mixed_plan(org: Organisation) -> tuple[dict, dict]:
    """A teammate for each employee's kudos, and modules each has not completed yet."""
    ids = [p.id for p in org.employees]
    teams = dict(db.session.execute(select(TeamMembership.user_id, TeamMembership.team_id)
                                    .where(TeamMembership.user_id.in_(ids),
                                           TeamMembership.kind == "member")).all())
    mates = {}
    for user_id, team_id in teams.items():
        mates[user_id] = db.session.scalar(
            select(TeamMembership.user_id).where(TeamMembership.team_id == team_id,
                                                 TeamMembership.user_id != user_id)
            .order_by(TeamMembership.user_id).limit(1))
    done = db.session.execute(select(Completion.user_id, Module.slug).join(
        Module, Module.id == Completion.module_id).where(
        Completion.user_id.in_(ids), Module.slug.in_(org.plain_modules))).all()
    done_pairs = set(done)
    open_pairs = {uid: [s for s in org.plain_modules if (uid, s) not in done_pairs]
                  for uid in ids}
    return mates, open_pairs


async def run(args, org, sessions, pages, app_server, ceiling, mates, open_pairs, app,
              backend: str, costs: dict) -> dict:
    hello = raw_request("GET", "/")

    async def ceiling_run(label: str) -> Result:
        return await drive(label, ceiling.port, lambda n: hello, args.ceiling_duration,
                           args.concurrency)

    ceilings = [await ceiling_run("ceiling 0")]
    rows = []
    for number, page in enumerate(pages, 1):
        role = {**PAGES, **REFERENCE_PAGES}[page][0]
        result = await drive(page, app_server.port, page_requests(page, sessions[role], org),
                             args.duration, args.concurrency)
        ceilings.append(await ceiling_run(f"ceiling {number}"))
        before, after = ceilings[-2], ceilings[-1]
        ceiling_rps = (before.rps + after.rps) / 2
        ceiling_p99 = (before.pct(.99) + after.pct(.99)) / 2
        share, p99_limit, statement_limit = target_of(page, backend)
        percent = 100 * result.rps / ceiling_rps
        p99_ratio = result.pct(.99) / ceiling_p99
        cost = costs[page]
        checks = [result.errors == 0]
        if share is not None:
            checks.append(percent >= share)
        if p99_limit is not None:
            checks.append(p99_ratio <= p99_limit)
        if statement_limit is not None:
            checks.append(isinstance(cost.statements, int)
                          and cost.statements <= statement_limit)
        target = [f">= {share}%" if share is not None else "",
                  f"p99 <= {p99_limit}x" if p99_limit else "",
                  f"<= {statement_limit} statements" if statement_limit else ""]
        rows.append({"page": page, "requests": len(result.latencies), "rps": result.rps,
                     "p50_ms": result.pct(.5), "p99_ms": result.pct(.99),
                     "errors": result.errors, "statuses": result.statuses,
                     "cpu_ms": cost.cpu_ms, "statements": cost.statements,
                     "ceiling_rps": ceiling_rps, "ceiling_p99_ms": ceiling_p99,
                     "pct_of_ceiling": percent, "p99_x_ceiling": p99_ratio,
                     "target": ", ".join(t for t in target if t), "met": all(checks)})
        print(f"  {page:<20} {result.rps:7.1f} req/s  p50 {result.pct(.5):7.1f} ms  "
              f"p99 {result.pct(.99):7.1f} ms  errors {result.errors}  "
              f"{percent:5.1f}% of ceiling ({ceiling_rps:.0f} req/s)", flush=True)
    mixed_report = None
    if args.mixed_duration > 0:
        employees = sessions["employee"]
        mixed = Mixed(employees, org, mates, open_pairs, f"{int(time.time())}",
                      random.Random(5))
        result = await drive("mixed", app_server.port, mixed.make, args.mixed_duration,
                             args.concurrency, warmup=0, expect=(200, 302),
                             on_done=mixed.done)
        with app.app_context():
            checked = verify_mixed(mixed)
        mixed_report = {"requests": len(result.latencies), "rps": result.rps,
                        "p50_ms": result.pct(.5), "p99_ms": result.pct(.99),
                        "errors": result.errors, "statuses": result.statuses, **checked}
        print(f"  mixed: {json.dumps(mixed_report, default=str)}", flush=True)
    memory = app_server.peak_rss_mb()
    ceiling_memory = ceiling.peak_rss_mb()
    all_met = all(r["met"] for r in rows) and (mixed_report is None or (
        mixed_report["ok"] and mixed_report["errors"] == 0))
    return {"pages": rows, "ceilings": [{"rps": c.rps, "p50_ms": c.pct(.5),
                                         "p99_ms": c.pct(.99), "errors": c.errors}
                                        for c in ceilings],
            "mixed": mixed_report, "peak_rss_mb": memory, "ceiling_peak_rss_mb": ceiling_memory,
            "all targets met": all_met}


def render(report: dict) -> str:
    backend = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(report["backend"],
                                                                   report["backend"])
    ceiling = report["ceilings"]
    lines = [
        f"{backend}, {report['workers']} sync workers, {report['concurrency']} requests in "
        f"flight, {report['duration']:g} s a page; ceiling (bare Flask) "
        f"{statistics.mean(c['rps'] for c in ceiling):.0f} req/s "
        f"(from {min(c['rps'] for c in ceiling):.0f} to {max(c['rps'] for c in ceiling):.0f} "
        f"over {len(ceiling)} runs), p99 {statistics.mean(c['p99_ms'] for c in ceiling):.1f} ms",
        "",
        "| page | CPU ms in process | statements | req/s | p50 ms | p99 ms | errors "
        "| % of ceiling req/s | p99 / ceiling p99 | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in report["pages"]:
        lines.append(
            f"| {row['page']} | {_cpu_text(row.get('cpu_ms'))} | {row.get('statements', '-')} | "
            f"{row['rps']:.1f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['errors']} | {row['pct_of_ceiling']:.1f}% | "
            f"{_ratio_text(row['p99_x_ceiling'])}x | {row['target']} | "
            f"{'yes' if row['met'] else '**no**'} |")
    mixed = report.get("mixed")
    if mixed:
        lines += ["", f"Mixed scenario: {mixed['requests']} requests, {mixed['rps']:.1f} req/s, "
                  f"p50 {mixed['p50_ms']:.1f} ms, p99 {mixed['p99_ms']:.1f} ms, "
                  f"errors {mixed['errors']}; "
                  f"{mixed['completions acknowledged']} completions acknowledged "
                  f"({mixed['completion repeats sent']} repeats sent) -> "
                  f"{mixed['completion rows']} rows, {mixed['completed events']} events; "
                  f"{mixed['kudos acknowledged']} kudos acknowledged -> {mixed['kudos rows']} "
                  f"rows, {mixed['shared events']} events; lost "
                  f"{mixed['completions lost'] + mixed['kudos lost']}, duplicated "
                  f"{mixed['completions duplicated'] + mixed['kudos duplicated']}, events off "
                  f"{mixed['completed events lost or duplicated']}"
                  f"+{mixed['shared events lost or duplicated']}"
                  f": {'OK' if mixed['ok'] else '**FAILED**'}."]
    memory = report["peak_rss_mb"]
    ceiling_memory = ", ".join(f"{m:.0f} MB" for m in report["ceiling_peak_rss_mb"])
    lines += ["", "Peak resident memory per app worker after the load: "
              + ", ".join(f"{m:.0f} MB" for m in memory)
              + f" (ceiling workers: {ceiling_memory})."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
