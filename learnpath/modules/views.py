"""Learner pages: a module with its knowledge check, and content files (the catalog page
is search's, learnpath/search/views.py)."""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm.attributes import set_committed_value

from learnpath.extensions import db
from learnpath.modules import assets, finish, learning, page_data, reading, services
from learnpath.modules.models import Module
from learnpath.modules.quiz import BLANK_TOKEN
from learnpath.web.access import login_required
from learnpath.web.forms import ConfirmForm

bp = Blueprint("modules", __name__)

# No SVG or HTML: they can carry script.
CONTENT_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv"}


def _render_module(page, result=None, status=200, answers=None, unanswered=()):
    """The module page for the signed-in person: `page` is page_data.load's (module, stamp,
    completion). What is the same for everyone comes from the version's stored page data; per
    request only the person's completion (with the module), quiz attempts (one statement with
    the questions), which suggestions they completed, and their path's next step."""
    module, stamp, completion = page
    version = module.current_version
    locale = str(get_locale() or "en")
    data = page_data.for_version(module, version, stamp)
    state = order = None
    if data.has_questions:
        attempts = learning.load_quiz(current_user, version)
        state = learning.quiz_state(current_user, version, data.quiz_options(), attempts)
        order = {q.id: learning.option_order(q, current_user, state.options.shuffle_answers)
                 for q in version.questions}
        if result is None and not unanswered:
            if state.latest is not None:  # the attempts are loaded once, with the state
                result = learning.result_from_attempt(version, state.latest)
    else:
        set_committed_value(version, "questions", [])
    text = reading.prepare(version.html, version.title, _("Table %(num)d"))

    def suggestions():
        done = page_data.completed(current_user, data.candidate_ids())
        yield from data.next_modules(done)

    html = render_template(
        "modules/module.html", module=module, version=version, result=result,
        completion=completion, answers=answers or {}, locale=locale, quiz=state,
        option_order=order, unanswered={question.id for question in unanswered},
        skill_names=data.skill_names(locale), translations=data.translations(),
        # shown only before the module is done; after, the finish panel's next step (its
        # suggestions asked for only when the person's paths have none)
        next_modules=[] if completion else list(suggestions()), reading=text,
        learned=finish.learned_points(version, text) if completion else (),
        next_step=finish.next_step(current_user, module, locale, suggestions())
        if completion else None,
        form=ConfirmForm(),
    )
    if data.computed:  # stored for the next views (nothing else of this request is pending)
        db.session.commit()
    return html, status


def _published_or_404(slug: str):
    page = page_data.load(slug, current_user)
    if page is None:
        abort(404)
    return page


@bp.route("/modules/<slug>")
@login_required
def show(slug: str):
    """A module: its text, knowledge check, and marking it as done."""
    return _render_module(_published_or_404(slug))


MAX_BLANK_LENGTH = 200


def _quiz_post(slug: str):
    """The module and version a knowledge-check POST is about (404, or 400 without a quiz or
    a valid form)."""
    page = _published_or_404(slug)
    version = page[0].current_version
    if not version.questions or not ConfirmForm().validate_on_submit():
        abort(400)
    return page, version


def _submitted_answers(version) -> dict:
    answers: dict = {}
    for question in version.questions:
        if question.kind == "fill":
            answers[question.id] = [request.form.get(f"q{question.id}-{i}", "")[:MAX_BLANK_LENGTH]
                                    for i in range(len(question.options))]
            continue
        chosen = set()
        for value in request.form.getlist(f"q{question.id}")[:20]:
            if value.isascii() and value.isdigit() and int(value) < len(question.options):
                chosen.add(int(value))
        answers[question.id] = chosen
    return answers


@bp.route("/modules/<slug>/quiz", methods=["POST"])
@login_required
def answer(slug: str):
    """Check the knowledge check on the server and show what was right."""
    page, version = _quiz_post(slug)
    answers = _submitted_answers(version)
    result = learning.submit_quiz(current_user, version, answers)
    if result.unanswered:  # said inline at each question; the in-place check shows it too
        return _render_module(page, None, 422, answers, result.unanswered)
    db.session.commit()
    return _render_module(page, result)


@bp.route("/modules/<slug>/quiz/reveal", methods=["POST"])
@login_required
def reveal(slug: str):
    """Show the correct answers of the knowledge check after a wrong attempt."""
    page, version = _quiz_post(slug)
    try:
        learning.reveal_answers(current_user, version)
    except services.ModuleError as error:
        flash(str(error.message), "error")
        return _render_module(page, status=409)
    db.session.commit()
    return redirect(url_for("modules.show", slug=slug, _anchor="quiz"))


@bp.route("/modules/<slug>/complete", methods=["POST"])
@login_required
def complete(slug: str):
    """Mark the module as done (twice is the same as once)."""
    page = _published_or_404(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        _completion, created = learning.complete_module(current_user, page[0])
    except services.ModuleError as error:
        flash(str(error.message), "error")
        return _render_module(page, status=409)
    db.session.commit()
    if created:
        flash(_("Well done! The module is marked as done."), "success")
    return redirect(url_for("modules.show", slug=slug, _anchor="done"))


@bp.route("/content/<path:filename>")
@login_required
def content_file(filename: str):
    """Images and files that sit beside modules in the content folder."""
    if Path(filename).suffix.lower() not in CONTENT_SUFFIXES:
        abort(404)
    root = Path(current_app.config["CONTENT_DIR"])
    # send_from_directory refuses paths that escape the folder (404).
    return send_from_directory(root, filename, max_age=3600)


@bp.route("/module-assets/<int:asset_id>/<path:filename>")
@login_required
def module_asset(asset_id: int, filename: str):
    """An image uploaded in the editor: learners see those of published modules, authors all."""
    asset = assets.get_asset(asset_id, filename)
    if asset is None:
        abort(404)
    module = db.session.get(Module, asset.module_id)
    if module.status != "published" and "author" not in current_user.roles:
        abort(404)
    response = current_app.response_class(asset.data, mimetype=asset.content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{asset.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_template_global()
def blank_fields(question, values=(), outcome=None, revealed=False):
    """A fill question's prompt with a text box for each blank, marked after checking."""
    answers = question.blank_answers()
    wrong = outcome.wrong if outcome is not None else set()

    locale = escape(get_locale())

    def field(match):
        i = int(match[1])
        if i >= len(answers):
            return ""
        value = values[i] if i < len(values) else ""
        state = "" if outcome is None else (" is-wrong" if i in wrong else " is-right")
        invalid = ' aria-invalid="true"' if i in wrong else ""
        label = escape(_("Blank %(num)d", num=i + 1))
        html = (f'<input type="text" class="blank{state}" id="q{question.id}-{i}" '
                f'name="q{question.id}-{i}" value="{escape(value)}" autocomplete="off" '
                f'autocapitalize="off" spellcheck="false" maxlength="{MAX_BLANK_LENGTH}" '
                f'size="{min(max(len(answers[i]) + 2, 8), 30)}" aria-label="{label}"{invalid}>')
        if outcome is not None:
            mark = (f'<strong class="mark mark-wrong">✗ {escape(_("not correct"))}</strong>'
                    if i in wrong else f'<strong class="mark">✓ {escape(_("right"))}</strong>')
            html += f' <span lang="{locale}">{mark}</span>'
        if revealed and i in wrong:
            answer = escape(_("Answer: %(answer)s", answer=answers[i]))
            html += f' <span class="blank-answer" lang="{locale}">{answer}</span>'
        return html

    return Markup(BLANK_TOKEN.sub(field, str(question.prompt_html)))


@bp.app_template_filter("blanks_shown")
def blanks_shown(prompt_html: str, answers):
    """A fill question's prompt with its answers in the blanks (for authors)."""
    answers = list(answers)

    def answer(match):
        i = int(match[1])
        text = answers[i] if i < len(answers) else ""
        return f'<span class="blank-answer">[{escape(text)}]</span>'

    return Markup(BLANK_TOKEN.sub(answer, str(prompt_html or "")))


@bp.app_template_filter("unwrap_p")
def unwrap_p(html: str):
    """Drop a single wrapping <p> so sanitised inline HTML fits inside a <legend>."""
    text = (html or "").strip()
    if text.startswith("<p>") and text.endswith("</p>") and text.count("<p>") == 1:
        text = text[3:-4]
    return Markup(text)  # already sanitised when the version was published
