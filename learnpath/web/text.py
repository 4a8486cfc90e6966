"""One check of every request's text input: query string, form fields and JSON bodies.

Control characters (a NUL byte, a bell, an escape) and bytes that are not UTF-8 are never
meant as text: PostgreSQL refuses NUL, and Werkzeug keeps undecodable escapes as literal
"%FF" text or turns them into U+FFFD. One before_request hook refuses them with a 400 and a
message in the person's language, before any view or form sees them, so no view or field
needs its own check. The refusal is a BadRequest carrying `user_message` (and
`problem_errors`), which the error page shows and a registered error format (the API's
problem+json) can use. Newline, carriage return and tab are allowed in multi-line fields: the
form fields rendered as a textarea (TextAreaField) in any form.
"""

import json
import re
from urllib.parse import parse_qsl

from flask import Flask, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import TextAreaField
from wtforms.fields.core import UnboundField

# C0 controls and DEL, C1 controls, lone surrogates (from JSON \ud800 escapes).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_REPLACEMENT = "\ufffd"  # what Werkzeug makes of undecodable bytes in multipart fields


class TextProblem(ValueError):
    """Refused input: `field` names where (a parameter, form field or JSON path)."""

    def __init__(self, field: str, undecodable: bool = False):
        super().__init__(field)
        self.field = field
        self.undecodable = undecodable


def is_clean(value: str, multiline: bool = False) -> bool:
    """True when `value` has no control characters (newline and tab allowed if multiline)."""
    return not (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)


_multiline_names: frozenset[str] | None = None


def multiline_fields() -> frozenset[str]:
    """The names of the fields any form renders as a textarea (found once, from the forms)."""
    global _multiline_names
    if _multiline_names is None:
        names, pending, seen = set(), list(FlaskForm.__subclasses__()), set()
        while pending:
            form = pending.pop()
            if form in seen:
                continue
            seen.add(form)
            pending.extend(form.__subclasses__())
            for name in dir(form):
                value = getattr(form, name, None)
                if isinstance(value, UnboundField) and issubclass(value.field_class,
                                                                  TextAreaField):
                    names.add(name)
        _multiline_names = frozenset(names)
    return _multiline_names


def _check_query_string() -> None:
    raw = request.query_string.decode("latin-1")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise TextProblem("query", undecodable=True) from None
    for key, value in pairs:
        if not is_clean(key) or not is_clean(value):
            raise TextProblem(key if is_clean(key) else "query")


def _check_form() -> None:
    if request.mimetype == "application/x-www-form-urlencoded":
        # Read the raw body first (Werkzeug parses the form from this cached copy) to find
        # undecodable bytes, which the parsed form keeps as literal "%FF" text.
        raw = request.get_data(cache=True).decode("latin-1")
        try:
            parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise TextProblem("form", undecodable=True) from None
    elif request.mimetype != "multipart/form-data":
        return
    multiline = multiline_fields()
    for key, values in request.form.lists():
        for value in values:
            if _REPLACEMENT in value or _REPLACEMENT in key:
                raise TextProblem(key, undecodable=True)
            # "q-0-prompt": a repeated (FieldList-style) field named after its textarea.
            lines_ok = key in multiline or key.rsplit("-", 1)[-1] in multiline
            if not is_clean(key) or not is_clean(value, lines_ok):
                raise TextProblem(key)


def _walk_json(value, path: str) -> None:
    if isinstance(value, str):
        if not is_clean(value):
            raise TextProblem(path or "body")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_json(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not is_clean(key):
                raise TextProblem(path or "body")
            _walk_json(item, f"{path}.{key}" if path else key)


def _check_json() -> None:
    if not request.is_json:
        return
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextProblem("body", undecodable=True) from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON at all: the view says so
    _walk_json(data, "")


def check_request_text() -> None:
    """Raise TextProblem for a control character or undecodable bytes anywhere in the input."""
    _check_query_string()
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        _check_form()
        _check_json()


class BadText(BadRequest):
    """The 400 for refused text: user_message for the person, problem_errors per field."""

    def __init__(self, user_message: str, field: str):
        super().__init__(user_message)
        self.user_message = user_message
        self.problem_errors = [{"field": field,
                                "problem": "must be text without control characters"}]


def refuse_bad_text() -> None:
    """The before_request hook: BadText (a 400) with a message in the person's language."""
    try:
        check_request_text()
    except TextProblem as problem:
        if problem.undecodable:
            message = _("What you sent contains characters that could not be read (it is not "
                        "valid UTF-8 text). Please type it again and resend.")
        else:
            message = _("What you entered contains control characters (invisible characters "
                        "such as a NUL byte), which are not allowed. Please remove them and "
                        "try again.")
        raise BadText(message, problem.field) from None


def init_app(app: Flask) -> None:
    # First of all hooks: the CSRF check parses the form from the body, after which the raw
    # bytes (needed to see undecodable ones) are gone.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_text)
