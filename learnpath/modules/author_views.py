"""Author pages: list, create, edit with preview, publish, history, statistics, upload.

Concurrent editing (edit counts, conflicts, row locks) is modules.authoring's: the editor
sends the edit count it loaded, and this file shows the outcome authoring reports.
"""

import zipfile
import zlib

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from learnpath.extensions import csrf, db
from learnpath.modules import authoring, guard, importer, services
from learnpath.modules.author_forms import (
    ActionForm,
    EditorForm,
    NewModuleForm,
    UploadForm,
    default_language,
    normalise_newlines,
    starter_text,
)
from learnpath.modules.frontmatter import MICRO_MINUTES
from learnpath.modules.models import STATUSES, Module
from learnpath.modules.problems import Problem
from learnpath.slugs import slugify
from learnpath.web.access import roles_required, safe_next
from learnpath.web.forms import csrf_token_valid
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("author", __name__)

MODULE_STATUS_NAMES = {"draft": _l("Draft"), "published": _l("Published"),
                       "archived": _l("Archived")}
FILE_STATUS_NAMES = {"created": _l("created"), "updated": _l("updated"),
                     "unchanged": _l("unchanged"), "invalid": _l("invalid"),
                     "skipped": _l("skipped")}
EDITOR_ACTIONS = ("preview", "save", "publish")
NEW_SLUG = "new-module"  # stands in for the slug while a new module has none yet
DRAFT = authoring.DRAFT
# What reading a damaged or encrypted zip entry raises; importer.py does not catch it yet.
UNREADABLE_ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError,
                             EOFError, OSError)


@bp.context_processor
def author_names():
    return {"module_status_names": MODULE_STATUS_NAMES, "file_status_names": FILE_STATUS_NAMES}


# Helpers --------------------------------------------------------------------------------------


def _page_arg() -> int:
    value = request.args.get("page", "1")
    if value.isascii() and value.isdigit() and len(value) < 6 and int(value) > 0:
        return int(value)
    return 1


def _module_or_404(slug: str) -> Module:
    module = services.get_module(slug)
    if module is None:
        abort(404)
    return module



CSRF_EXPIRED = _l("Your editing session expired, so nothing was saved yet. Your text is still "
                  "here: press the button again to save it.")


def _working_text(module: Module) -> str:
    if module.draft_source is not None:
        return module.draft_source
    return module.current_version.source if module.current_version else ""


def _edit_count_arg(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _check(source: str, slug: str, language: str):
    return authoring.check_source(source or "", slug, language)


def _preview_html(parsed, module: Module | None) -> str:
    if parsed is None:
        return ""
    return authoring.rewrite_relative_urls(parsed.html, module.asset_dir if module else None)


def _back_to(module: Module) -> str:
    return safe_next(request.form.get("next"), url_for("author.edit", slug=module.slug))


def _published_message(version, created: bool) -> str:
    if created:
        return _("Version %(number)d published.", number=version.number)
    return _("Version %(number)d is published; the text has not changed since.",
             number=version.number)


# The list -------------------------------------------------------------------------------------


@bp.route("/", strict_slashes=False)
@roles_required("author")
def index():
    """Modules with their status, filtered by status, language and a text search."""
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    language = request.args.get("language", "")
    language = language if language in current_app.config["LANGUAGES"] else ""
    query = " ".join(request.args.get("q", "").split())[:200]
    page = services.list_modules(status or None, language or None, query, _page_arg(),
                                 current_app.config["PER_PAGE"])
    return render_template("modules/author/index.html", page=page, status=status,
                           language=language, query=query, action_form=ActionForm())


# Creating and editing -------------------------------------------------------------------------


def _render_new(form, parsed=None, status=200, notice=None):
    return render_template("modules/author/new.html", form=form, parsed=parsed,
                           preview_html=_preview_html(parsed, None), notice=notice), status


@bp.route("/new", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the text back instead of an error
def new():
    """Create a module from a slug, a language and its first text."""
    form = NewModuleForm()
    if request.method == "GET":
        form.language.data = default_language()
        form.source.data = starter_text()
        return _render_new(form)
    if not csrf_token_valid():
        return _render_new(form, status=400, notice=CSRF_EXPIRED)
    if not form.validate():
        return _render_new(form, status=400)
    if request.form.get("action") == "preview":
        slug = slugify(form.slug.data) or NEW_SLUG
        return _render_new(form, _check(form.source.data, slug, form.language.data))
    slug = slugify(form.slug.data)
    try:
        module = authoring.create_module(form.slug.data, form.source.data, form.language.data)
        db.session.commit()
    except services.ModuleError as error:
        db.session.rollback()
        form.slug.errors.append(str(error.message))
        return _render_new(form, status=400)
    except IntegrityError:  # the same slug created at the same moment
        db.session.rollback()
        form.slug.errors.append(_("A module with the address '%(slug)s' already exists.",
                                  slug=slug))
        return _render_new(form, status=400)
    flash(_("The module is created as a draft. Publish it when it is ready."), "success")
    if authoring.slug_was_changed(form.slug.data, module.slug):
        flash(_("The address you typed, '%(typed)s', became '%(slug)s': addresses use "
                "lower-case letters, digits and hyphens only.", typed=form.slug.data.strip(),
                slug=module.slug), "info")
    return redirect(url_for("author.edit", slug=module.slug))


def _render_editor(module, form, parsed=None, status=200, notice=None):
    return render_template(
        "modules/author/edit.html", module=module, form=form, parsed=parsed,
        preview_html=_preview_html(parsed, module), notice=notice, action_form=ActionForm(),
    ), status


def _render_conflict(module, form, result):
    """Both texts: the one saved meanwhile, and the person's own, editable, on a fresh base."""
    theirs = result.theirs
    mine = form.source.data or ""
    form.edit_count.data = result.edit_count
    lines = authoring.version_diff(theirs, mine, _("Saved meanwhile"), _("Your text"))
    return render_template("modules/author/conflict.html", module=module, form=form,
                           theirs=theirs, lines=lines), 409


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the text back instead of an error
def edit(slug: str):
    """The Markdown editor: preview, save the draft, or save and publish."""
    module = _module_or_404(slug)
    form = EditorForm()
    if request.method == "GET":
        form.source.data = _working_text(module)
        form.edit_count.data = module.edit_count
        return _render_editor(module, form, _check(form.source.data, module.slug,
                                                   module.language))
    if not csrf_token_valid():
        return _render_editor(module, form, status=400, notice=CSRF_EXPIRED)
    action = request.form.get("action", "save")
    if action not in EDITOR_ACTIONS or not form.validate():
        return _render_editor(module, form, status=400)
    source = form.source.data
    if action == "preview":
        return _render_editor(module, form, _check(source, module.slug, module.language))

    long_minutes = (guard.new_long_minutes(module, authoring.normalise_text(source))
                    if action == "publish" else 0)
    result = authoring.save_from_editor(module, source, _edit_count_arg(form.edit_count.data),
                                        current_user._get_current_object(),
                                        publish_too=action == "publish" and not long_minutes)
    if result.outcome == "conflict":
        db.session.rollback()
        return _render_conflict(module, form, result)
    db.session.commit()  # the draft is saved, also when publishing was refused
    if result.outcome == "unpublishable":
        form.edit_count.data = result.edit_count
        notice = (_("Your text is saved as a draft, but it cannot be published yet: fix the "
                    "problems listed below the text.") if result.error.problems
                  else result.error.message)
        return _render_editor(module, form, result.parsed, 400, notice)
    if long_minutes and result.parsed.ok:  # saved as a draft; the editor asks the rest
        return _to_the_guard(module, long_minutes)
    if result.outcome == "published":
        flash(_published_message(result.version, result.created), "success")
    elif result.parsed.ok:
        flash(_("Draft saved."), "success")
    else:
        flash(_("Draft saved. Fix the problems listed below the text before publishing."),
              "info")
    return redirect(url_for("author.edit", slug=module.slug))


@bp.route("/preview", methods=["POST"])
@roles_required("author")
def preview():
    """The rendered text and its problems as an HTML fragment, for the live preview."""
    module = None
    if request.args.get("slug"):
        module = _module_or_404(request.args["slug"])
    source = normalise_newlines(request.form.get("source", ""))
    if module is not None:
        slug, language = module.slug, module.language
    else:
        slug = slugify(request.form.get("slug", ""))[:services.SLUG_MAX] or NEW_SLUG
        language = request.form.get("language", "")
        if language not in current_app.config["LANGUAGES"]:
            language = default_language()
    parsed = _check(source, slug, language)
    return render_template("modules/author/_preview.html", parsed=parsed,
                           preview_html=_preview_html(parsed, module))


# Status changes -------------------------------------------------------------------------------


def _confirmed_module(slug: str) -> Module:
    module = _module_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    return module


@bp.route("/<slug>/publish", methods=["POST"])
@roles_required("author")
def publish(slug: str):
    """Publish the saved draft as the current version."""
    module = _confirmed_module(slug)
    previous_version_id = module.current_version_id
    minutes = guard.new_long_minutes(module)
    if minutes:
        return _to_the_guard(module, minutes)
    try:
        version = authoring.publish(module, current_user._get_current_object())
    except services.ModuleError as error:
        db.session.rollback()
        flash(_("%(title)s was not published: %(reason)s", title=module.title,
                reason=error.message), "error")
        return redirect(url_for("author.edit", slug=module.slug))
    created = version.id != previous_version_id
    db.session.commit()
    flash(_published_message(version, created), "success")
    return redirect(_back_to(module))


def _to_the_guard(module: Module, minutes: int):
    """The micro-format guard lives in the form editor: split at a heading, or say why."""
    flash(_("%(title)s takes %(minutes)d minutes, more than the %(limit)d of a micro module. "
            "Publish it here: you can split it at a heading, or publish it anyway with a "
            "reason.", title=module.title, minutes=minutes, limit=MICRO_MINUTES), "warning")
    return redirect(url_for("write.edit", slug=module.slug))


@bp.route("/<slug>/unpublish", methods=["POST"])
@roles_required("author")
def unpublish(slug: str):
    """Hide the module from learners and make it a draft again."""
    module = _confirmed_module(slug)
    authoring.unpublish(module)
    db.session.commit()
    flash(_("%(title)s is a draft again: learners no longer see it.", title=module.title),
          "success")
    return redirect(_back_to(module))


@bp.route("/<slug>/archive", methods=["POST"])
@roles_required("author")
def archive(slug: str):
    """Archive the module: out of the catalog, history and completions kept."""
    module = _confirmed_module(slug)
    authoring.archive(module)
    db.session.commit()
    flash(_("%(title)s is archived: learners no longer see it; its versions and completions "
            "are kept.", title=module.title), "success")
    return redirect(_back_to(module))


# History and statistics -----------------------------------------------------------------------


@bp.route("/<slug>/history")
@roles_required("author")
def history(slug: str):
    """The published versions, who published them and when."""
    module = _module_or_404(slug)
    versions = services.versions_of(module)
    names = authoring.publisher_names(versions)
    return render_template("modules/author/history.html", module=module, versions=versions,
                           names=names)


def _version_ref(name: str, numbers: set[int]):
    """A version number, DRAFT, or None (absent or not a number: the default is used)."""
    value = request.args.get(name, "").strip()
    if value == DRAFT:
        return DRAFT
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value) if len(value) < 10 else -1
    if number not in numbers:
        abort(404)
    return number


@bp.route("/<slug>/diff")
@roles_required("author")
def diff(slug: str):
    """The lines added and removed between two versions (default: the last change)."""
    module = _module_or_404(slug)
    versions = {v.number: v for v in services.versions_of(module)}
    new_ref, old_ref = authoring.diff_refs(module, set(versions),
                                           _version_ref("to", set(versions)),
                                           _version_ref("from", set(versions)))

    def text_and_label(ref):
        if ref is None:
            return "", _("(empty)")
        if ref == DRAFT:
            return module.draft_source or "", _("Draft")
        return versions[ref].source, _("Version %(number)d", number=ref)

    lines = []
    if new_ref is not None:
        old_text, old_label = text_and_label(old_ref)
        new_text, new_label = text_and_label(new_ref)
        lines = authoring.version_diff(old_text, new_text, old_label, new_label)
    return render_template("modules/author/diff.html", module=module, lines=lines,
                           numbers=sorted(versions, reverse=True), old=old_ref, new=new_ref,
                           draft=DRAFT)


@bp.route("/<slug>/stats")
@roles_required("author")
def stats(slug: str):
    """Totals for the module: completions, mean score and how often each question is right."""
    module = _module_or_404(slug)
    return render_template("modules/author/stats.html", module=module,
                           stats=authoring.module_stats(
                               module, current_app.config["ANONYMITY_THRESHOLD"]),
                           threshold=current_app.config["ANONYMITY_THRESHOLD"])


# Upload ---------------------------------------------------------------------------------------


def _import_upload(filename: str, data: bytes, language: str) -> importer.ImportReport:
    try:
        report = importer.import_upload(filename, data, author=current_user._get_current_object(),
                                        default_language=language)
    except UNREADABLE_ARCHIVE_ERRORS:
        db.session.rollback()
        return importer.ImportReport(files=[importer.FileResult(filename, "", "invalid", [Problem(
            _l("A file in the archive cannot be read (damaged or encrypted); nothing was "
               "imported."))])])
    db.session.commit()
    return report


@bp.route("/upload", methods=["GET", "POST"])
@roles_required("author")
def upload():
    """Import an uploaded .md file or .zip of them; report per file."""
    form = UploadForm()
    report = None
    status = 200
    if form.validate_on_submit():
        upload_file = form.file.data
        report = _import_upload(upload_file.filename, upload_file.read(), form.language.data)
        status = 200 if report.ok else 422
    elif request.method == "POST":
        status = 400
    else:
        form.language.data = default_language()
    return render_template("modules/author/upload.html", form=form, report=report), status
