"""i18n helpers: lazy_text, the template gettext, and locale selection (the person's setting,
else the language chosen in the footer, else the browser's Accept-Language, else English).

Per-worker caches here, each keyed by the translations catalogue it was made from (one per
language, loaded once by Flask-Babel and never changed while the process runs), so none needs
invalidating: `per_language` remembers what a function builds from translated texts (the
context processors' dicts of names, as plain str), and the template `_`/`gettext` remembers
each message without variables as the Markup it renders to (_Messages; MessageLookup compiles
`_('literal')` into a lookup in it). They live in a WeakKeyDictionary
on the catalogue, so an app's catalogues and their caches go away together.
"""

import functools
import weakref

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from jinja2.ext import Extension
from jinja2.lexer import Token
from markupsafe import Markup, escape

LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}


@functools.lru_cache(maxsize=512)
def _locale_facts(tag: str, ui_locale: str) -> tuple[str, str]:
    try:
        locale = Locale.parse(tag.replace("-", "_"))
        ui = Locale.parse(ui_locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return tag, "ltr"
    name = locale.get_display_name(ui) or tag
    return name[:1].upper() + name[1:], locale.text_direction


def language_name(tag: str) -> str:
    """A content language's name in the UI language: zh-CN -> 'Chinees (China)' in Dutch."""
    if tag in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[tag]
    return _locale_facts(tag or "", str(get_locale() or "en"))[0]


def text_direction(tag: str) -> str:
    """'rtl' for a right-to-left content language (ar, he, fa, ur, ...), else 'ltr'."""
    return _locale_facts(tag or "", "en")[1]


class _TextLazyString(LazyString):
    """A lazy translation that templates escape.

    Flask-Babel's LazyString declares itself safe HTML (__html__), so a message carrying
    user data (an e-mail from a CSV, a front-matter value) would reach the page unescaped.
    """

    def __html__(self):
        return str(escape(str(self)))


def lazy_text(string: str, **variables) -> LazyString:
    """lazy_gettext whose result is escaped in templates like any other text."""
    return _TextLazyString(gettext, string, **variables)


def _translations():
    """Flask-Babel's get_translations, remembered for the request's locale and domain.

    Templates translate dozens of strings a page; each get_translations() walks `g` and the
    locale selector's cache several times. Flask-Babel keeps the locale and domain on
    g._flask_babel, so the remembered pair is reused only while both are the same objects
    (force_locale and refresh replace or drop them, which falls back to Flask-Babel).
    """
    try:
        ctx = g._flask_babel
        cached = ctx.learnpath_translations
        if cached[0] is ctx.babel_locale and cached[1] is ctx.babel_domain:
            return cached[2]
    except (AttributeError, RuntimeError):
        pass
    translations = get_translations()
    try:
        ctx = g._flask_babel
        ctx.learnpath_translations = (ctx.babel_locale, ctx.babel_domain, translations)
    except (AttributeError, RuntimeError):
        pass
    return translations


_PER_CATALOGUE: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()
_MESSAGES_MAX = 5000  # template messages remembered per catalogue (templates hold ~1,500)


def _catalogue_cache(translations) -> dict:
    try:
        return _PER_CATALOGUE[translations]
    except KeyError:
        return _PER_CATALOGUE.setdefault(translations, {})
    except TypeError:  # not weak-referenceable: remember nothing
        return {}


def per_language(build):
    """Call `build()` once per language (translations catalogue) and return that result.

    For values made only of translated texts (dicts of names for the templates): build them
    with plain gettext (str), not lazy strings, so rendering does no translating.
    """
    @functools.wraps(build)
    def remembered():
        cache = _catalogue_cache(_translations())
        try:
            return cache[remembered]
        except KeyError:
            value = cache[remembered] = build()
            return value

    return remembered


CATALOGUE = "_learnpath_catalogue"
MESSAGES = "_learnpath_messages"


class _Messages(dict):
    """One catalogue's template messages without variables, as the Markup each renders to
    (Jinja's newstyle gettext: Markup, %-formatted), translated on first use."""

    def __init__(self, translations):
        super().__init__()
        self.translations = translations

    def __missing__(self, string):
        rendered = Markup(self.translations.ugettext(string)) % {}
        if len(self) < _MESSAGES_MAX:
            self[string] = rendered
        return rendered


def _catalogue():
    """The request's translations and the messages remembered for them."""
    translations = _translations()
    cache = _catalogue_cache(translations)
    messages = cache.get(_Messages)
    if messages is None:
        messages = cache[_Messages] = _Messages(translations)
    return translations, messages


class _RequestMessages:
    """The messages of whatever catalogue is current: for templates rendered without
    render_template (whose context carries the catalogue's own _Messages)."""

    def __getitem__(self, string):
        return _catalogue()[1][string]


@pass_context
def _template_gettext(context, string, **variables):
    """Jinja's newstyle gettext (Markup when autoescaping, always %-formatted), through the
    remembered messages when there are no variables: the same output, translated once."""
    # render_template puts the request's catalogue into the context (language_context);
    # templates rendered otherwise find it here.
    translations, messages = context.parent.get(CATALOGUE) or _catalogue()
    autoescape = context.eval_ctx.autoescape
    if not variables and autoescape:
        return messages[string]
    rv = translations.ugettext(string)
    if autoescape:
        rv = Markup(rv)
    return rv % variables


class MessageLookup(Extension):
    """Compiles `_('literal')` and `gettext('literal')` in autoescaped templates into a
    lookup, `_learnpath_messages['literal']`, of the same Markup `_` would return.

    A page holds dozens of such messages; each call went through Jinja's Context.call, which
    costs more than the remembered translation itself. Calls with variables, with anything
    but one string literal, or in templates that do not autoescape are left alone.
    """

    def filter_stream(self, stream):
        autoescape = self.environment.autoescape
        if callable(autoescape):
            autoescape = autoescape(stream.name)
        if not autoescape:
            yield from stream
            return
        tokens = list(stream)
        index, previous = 0, None
        while index < len(tokens):
            token = tokens[index]
            window = tokens[index + 1:index + 4]
            if (token.type == "name" and token.value in ("_", "gettext")
                    and [t.type for t in window] == ["lparen", "string", "rparen"]
                    and (previous is None or previous.type != "dot")):
                yield Token(token.lineno, "name", MESSAGES)
                yield Token(token.lineno, "lbracket", "[")
                yield window[1]
                yield Token(token.lineno, "rbracket", "]")
                previous, index = window[2], index + 4
                continue
            yield token
            previous, index = token, index + 1


def _install_template_gettext(app: Flask) -> None:
    """Template gettext/ngettext through the remembered translations (same output)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    # `_` and gettext straight to the remembering version (Jinja's `_` goes through two
    # more context calls to the same function); `_('literal')` not even that (MessageLookup).
    app.jinja_env.globals["gettext"] = _template_gettext
    app.jinja_env.globals["_"] = _template_gettext
    app.jinja_env.globals[MESSAGES] = _RequestMessages()
    app.jinja_env.add_extension(MessageLookup)


def current_locale() -> str:
    """The request's UI language as a plain string ("nl", "en")."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or default


def init_app(app: Flask) -> None:
    _install_template_gettext(app)

    status_names = {
        "created": _l("created"), "updated": _l("updated"),
        "unchanged": _l("unchanged"), "invalid": _l("invalid"), "skipped": _l("skipped"),
    }

    level_names = {
        "beginner": _l("Beginner"), "intermediate": _l("Intermediate"),
        "advanced": _l("Advanced"),
    }

    @app.context_processor
    def language_context():
        catalogue = _catalogue()
        return {
            "level_names": level_names,
            "status_names": status_names,
            "language_names": LANGUAGE_NAMES,
            "language_name": language_name,
            "text_direction": text_direction,
            "current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            CATALOGUE: catalogue,
            MESSAGES: catalogue[1],
        }
