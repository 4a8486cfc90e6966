"""Dates in the person's language, through Babel: one way to show a day or a moment, and a
date field that reads what people type in their own format.

English follows British usage ("4 Dec 2026", day first), as a European organisation writes it;
Dutch is "4 dec 2026". Date inputs are text fields, not the browser's date picker (which shows
the browser's format, mm/dd/yyyy on many machines): they accept the person's format
(dd-mm-yyyy in Dutch, dd/mm/yyyy in English) and ISO (yyyy-mm-dd).
"""

import re
from datetime import date, datetime

from babel import dates as babel_dates
from flask import Flask, current_app, has_app_context
from flask_babel import get_locale, to_user_timezone
from wtforms import StringField
from wtforms.validators import StopValidation

from learnpath.web.i18n import lazy_text as _l

# How a UI language writes dates: the Babel locale for display and the typed pattern.
FORMAT_LOCALES = {"en": "en_GB", "nl": "nl_NL"}
INPUT_FORMATS = {"en": ("/", "dd/mm/yyyy"), "nl": ("-", "dd-mm-jjjj")}
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _language(locale=None) -> str:
    if locale is None:
        locale = get_locale() if has_app_context() else None
        if locale is None:
            locale = current_app.config.get("BABEL_DEFAULT_LOCALE", "en") \
                if has_app_context() else "en"
    return str(locale).split("_")[0]


def format_locale(locale=None) -> str:
    """The Babel locale that formats dates for a UI language ("en" -> "en_GB")."""
    language = _language(locale)
    return FORMAT_LOCALES.get(language, language)


def show_day(value, style: str = "medium", locale=None) -> str:
    """A day as people write it: "4 Dec 2026" (en), "4 dec 2026" (nl); long: "4 December 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return babel_dates.format_date(value, style, locale=format_locale(locale))


def show_moment(value, locale=None) -> str:
    """A moment in the organisation's time zone: "4 Dec 2026, 16:00"."""
    if value is None:
        return ""
    moment = _local(value)
    where = format_locale(locale)
    return (f"{babel_dates.format_date(moment.date(), 'medium', locale=where)}, "
            f"{babel_dates.format_time(moment.time(), 'short', locale=where)}")


def _local(moment: datetime) -> datetime:
    """A stored moment (naive UTC or aware) in the organisation's time zone."""
    if not has_app_context():
        return moment
    return to_user_timezone(moment)


def input_placeholder(locale=None) -> str:
    """What a date input asks for: "dd-mm-jjjj" in Dutch, "dd/mm/yyyy" in English."""
    return INPUT_FORMATS.get(_language(locale), INPUT_FORMATS["en"])[1]


def input_value(value: date | None, locale=None) -> str:
    """A day as a date input shows it: "04-12-2026" (nl), "04/12/2026" (en)."""
    if value is None:
        return ""
    separator = INPUT_FORMATS.get(_language(locale), INPUT_FORMATS["en"])[0]
    return separator.join((f"{value.day:02d}", f"{value.month:02d}", f"{value.year:04d}"))


def parse_day(text: str | None) -> date | None:
    """A typed day: dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy or ISO yyyy-mm-dd; None if not a day."""
    if not text:
        return None
    iso = _ISO.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        day_first = _DAY_FIRST.match(text)
        if not day_first:
            return None
        day, month, year = (int(part) for part in day_first.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


class LocalDateField(StringField):
    """A date typed in the person's format (or ISO); shown back in that format.

    What the person typed comes back unchanged when it is not a date, so they can correct it.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.raw_text = None

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0] if valuelist else None
        self.data = parse_day(self.raw_text)
        if self.raw_text and self.raw_text.strip() and self.data is None:
            self.process_errors.append(str(_l(
                "Enter a date as %(format)s, for example %(example)s.",
                format=input_placeholder(), example=input_value(date(2026, 12, 4)))))

    def pre_validate(self, form):
        if self.process_errors:  # not a date: say only that, not also "choose a date"
            raise StopValidation()

    def _value(self):
        if self.data is not None:
            return input_value(self.data)
        return self.raw_text or ""

    def __call__(self, **kwargs):
        kwargs.setdefault("placeholder", input_placeholder())
        if kwargs.get("type") == "date":  # the browser's picker would use its own format
            kwargs.pop("type")
        return super().__call__(**kwargs)


def init_app(app: Flask) -> None:
    app.add_template_filter(show_day, "show_day")
    app.add_template_filter(show_moment, "show_moment")
