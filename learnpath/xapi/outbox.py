"""Forward queued statements to the Learning Record Store: batched, retried, resumable.

Every exported activity event gets an `xapi_outbox` row in its own transaction (see models.py),
so nothing is lost. `push` takes the oldest queued rows in batches, builds their statements,
POSTs them and marks the rows sent in one commit per batch. A crash between the POST and that
commit leaves the rows queued: the next run sends the same statement ids again, which the LRS
recognises (xAPI: a known id is not stored twice), so nothing is stored twice either.

Connection errors, timeouts, 429 and 5xx answers are retried with exponential backoff; when
they persist the run stops, the rows stay queued and the failure is recorded for the admin page.
A batch the LRS refuses with 409 (an id it already holds), 400, 413 or 422 is resent statement by
statement with PUT: a known id counts as sent, a statement the LRS rejects is marked rejected
with the LRS's reason, and the others go through.
"""

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from learnpath.engagement.models import ActivityEvent
from learnpath.extensions import db
from learnpath.timeutil import utcnow
from learnpath.xapi.models import XapiOutbox, XapiPushStatus
from learnpath.xapi.statements import XAPI_VERSION, statements_for

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


class LrsError(Exception):
    """The LRS could not be reached or refused a request."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = True):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class NotConfigured(LrsError):
    pass


@dataclass
class PushReport:
    sent: int = 0
    skipped: int = 0
    rejected: int = 0
    batches: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# HTTP -----------------------------------------------------------------------------------------


def statements_url() -> str:
    """The LRS statements resource, from the endpoint (`.../xAPI/`) or the resource itself."""
    url = (current_app.config.get("XAPI_LRS_URL") or "").strip()
    if not url:
        raise NotConfigured("No LRS configured: set LEARNPATH_XAPI_LRS_URL.", retryable=False)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotConfigured(f"LEARNPATH_XAPI_LRS_URL must be an http(s) URL, not {url!r}.",
                            retryable=False)
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _headers() -> dict:
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json",
               "Accept": "application/json"}
    user = current_app.config.get("XAPI_LRS_USERNAME")
    if user:
        secret = f"{user}:{current_app.config.get('XAPI_LRS_PASSWORD') or ''}"
        headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
    return headers


def request(method: str, url: str, payload=None) -> tuple[int, bytes]:
    """One HTTP request to the LRS; LrsError for anything but a 2xx answer."""
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=_headers())
    timeout = float(current_app.config.get("XAPI_TIMEOUT", 10))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 (http/s only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()[:300].decode("utf-8", "replace")
        raise LrsError(f"The LRS answered HTTP {exc.code} to {method} {url}: {body}",
                       status=exc.code, retryable=exc.code in RETRYABLE_STATUS) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LrsError(f"Could not reach the LRS at {url}: {reason}") from exc


def _with_retries(call, sleep=time.sleep):
    """Run call(); retry retryable failures with exponential backoff (1, 2, 4, ... x base)."""
    retries = int(current_app.config.get("XAPI_RETRIES", 4))
    base = float(current_app.config.get("XAPI_BACKOFF_SECONDS", 1.0))
    for attempt in range(retries + 1):
        try:
            return call()
        except LrsError as exc:
            if not exc.retryable or attempt == retries:
                raise
            sleep(min(base * 2 ** attempt, 60.0))
    raise AssertionError("unreachable")


# The outbox -----------------------------------------------------------------------------------


def status_row() -> XapiPushStatus:
    row = db.session.get(XapiPushStatus, 1)
    if row is None:
        row = XapiPushStatus(id=1, consecutive_failures=0, sent_total=0)
        db.session.add(row)
        db.session.flush()
    return row


def _next_batch(size: int) -> list[XapiOutbox]:
    query = (select(XapiOutbox).where(XapiOutbox.state == "queued")
             .order_by(XapiOutbox.id).limit(size))
    if db.engine.dialect.name == "postgresql":
        # Two cron runs at once never take the same rows.
        query = query.with_for_update(skip_locked=True)
    return db.session.scalars(query).all()


def _send_one_by_one(url: str, items: list[tuple[XapiOutbox, dict]], sleep) -> dict:
    """PUT each statement; returns {outbox id: None (stored or known) or rejection reason}."""
    outcome = {}
    for row, statement in items:
        target = f"{url}?{urllib.parse.urlencode({'statementId': statement['id']})}"
        try:
            _with_retries(lambda t=target, s=statement: request("PUT", t, s), sleep)
            outcome[row.id] = None
        except LrsError as exc:
            if exc.status == 409:  # the LRS already holds this id: it was sent before
                outcome[row.id] = None
            elif exc.status is not None and 400 <= exc.status < 500 and exc.status not in (
                    401, 403, 404, 408, 429):
                outcome[row.id] = str(exc)
            else:
                raise
    return outcome


def _statements_of(rows, now, report: PushReport) -> list:
    """(row, statement) for the batch; rows without a statement are marked skipped."""
    events = {e.id: e for e in db.session.scalars(
        select(ActivityEvent).where(ActivityEvent.id.in_([r.event_id for r in rows])))}
    mapped = dict((e.id, s) for e, s in statements_for(events.values()))
    items = []
    for row in rows:
        statement = mapped.get(row.event_id)
        if statement is None:  # the person was erased, or the event is not exported
            row.state, row.sent_at = "skipped", now
            report.skipped += 1
        else:
            items.append((row, statement))
    return items


def _send(url: str, items: list, sleep) -> dict:
    """POST the batch ({row id: None} when stored); when the LRS refuses the batch as a whole,
    one by one ({row id: reason} for the refused). Raises LrsError when the LRS fails."""
    if not items:
        return {}
    try:
        payload = [statement for _, statement in items]
        _with_retries(lambda p=payload: request("POST", url, p), sleep)
        return {row.id: None for row, _ in items}
    except LrsError as exc:
        if exc.status not in (400, 409, 413, 422):
            raise
        return _send_one_by_one(url, items, sleep)


def _record(items: list, outcome: dict, status, report: PushReport, done) -> None:
    for row, _ in items:
        row.attempts += 1
        reason = outcome.get(row.id)
        if reason is None:
            row.state, row.sent_at, row.error = "sent", done, None
            report.sent += 1
        else:
            row.state, row.error = "rejected", reason[:1000]
            report.rejected += 1
            status.last_error, status.last_error_at = reason[:1000], done


def push(batch_size: int | None = None, max_batches: int | None = None,
         sleep=time.sleep) -> PushReport:
    """Send queued statements until the outbox is empty or the LRS fails; commits per batch."""
    report = PushReport()
    size = max(1, int(batch_size or current_app.config.get("XAPI_BATCH_SIZE", 100)))
    try:
        url = statements_url()
    except NotConfigured as exc:
        report.error = str(exc)
        return report
    while max_batches is None or report.batches < max_batches:
        rows = _next_batch(size)
        if not rows:
            break
        report.batches += 1
        now = utcnow()
        items = _statements_of(rows, now, report)
        status = status_row()
        status.last_attempt_at = now
        try:
            outcome = _send(url, items, sleep)
        except LrsError as exc:
            for row, _ in items:
                row.attempts += 1
            status.last_error, status.last_error_at = str(exc)[:1000], utcnow()
            status.consecutive_failures += 1
            db.session.commit()
            report.error = str(exc)
            return report
        done = utcnow()
        _record(items, outcome, status, report, done)
        status.sent_total += sum(1 for row, _ in items if outcome.get(row.id) is None)
        status.last_success_at = done
        status.consecutive_failures = 0
        db.session.commit()
    return report


def overview() -> dict:
    """Counts per state and the push status, for the admin page and the CLI."""
    counts = dict(db.session.execute(
        select(XapiOutbox.state, func.count()).group_by(XapiOutbox.state)).all())
    oldest = db.session.scalar(select(func.min(XapiOutbox.created_at))
                               .where(XapiOutbox.state == "queued"))
    return {"queued": counts.get("queued", 0), "sent": counts.get("sent", 0),
            "skipped": counts.get("skipped", 0), "rejected": counts.get("rejected", 0),
            "oldest_queued": oldest, "status": db.session.get(XapiPushStatus, 1),
            "configured": bool(current_app.config.get("XAPI_LRS_URL"))}


def rejected_rows(limit: int = 20) -> list[XapiOutbox]:
    return db.session.scalars(select(XapiOutbox).where(XapiOutbox.state == "rejected")
                              .order_by(XapiOutbox.id.desc()).limit(limit)).all()
