"""Author pages for growth paths: list, create, edit steps with preview, publish.

The path editor works without JavaScript: every button submits the whole form, and moving,
adding or removing a step re-renders it with the change applied; only Save writes. What a
button does to the path, and saving it, is paths.authoring's; this file reads the form and
renders the outcome.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from learnpath.extensions import csrf, db
from learnpath.modules.services import ModuleError, get_module
from learnpath.paths import authoring, module_split
from learnpath.paths.author_forms import MAX_TARGETS, ActionForm, PathForm
from learnpath.paths.models import GrowthPath
from learnpath.skills import services as skills
from learnpath.web.access import roles_required, safe_next
from learnpath.web.forms import csrf_token_valid
from learnpath.web.i18n import current_locale
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("path_author", __name__)

PATH_STATUS_NAMES = {"draft": _l("Draft"), "published": _l("Published"),
                     "archived": _l("Archived")}
KIND_NAMES = {"vertical": _l("Vertical"), "horizontal": _l("Horizontal")}
CSRF_EXPIRED = _l("Your editing session expired, so nothing was saved yet. Everything you "
                  "entered is still here: press the button again.")
EDIT_CONFLICT = _l("Someone else saved this path while you were editing it. Nothing was "
                   "overwritten: your version is below. Saving again replaces theirs.")
FORM_ACTIONS = ("save", "preview", "add", "add-target")
SAVED_MESSAGES = {
    "created": (_l("The path is created as a draft. Publish it when it is ready."), "success"),
    "unchanged": (_l("Nothing has changed, so nothing was saved."), "info"),
    "updated": (_l("The path is saved."), "success"),
}


@bp.context_processor
def author_names():
    return {"path_status_names": PATH_STATUS_NAMES, "path_kind_names": KIND_NAMES}


# Helpers ---------------------------------------------------------------------------------------




def _skills() -> dict:
    if "author_skills" not in g:
        g.author_skills = skills.skills_by_name()
    return g.author_skills


def _path_form(data: dict | None = None, extra_target: bool = False) -> PathForm:
    """The editor form from the request (data None) or from data, with one empty target row."""
    if data is None:
        form = PathForm()
    else:
        targets = [t for t in data["targets"] if t.get("skill")]
        blanks = 1 + int(extra_target)
        targets += [{"skill": "", "level": "2"}] * min(blanks, MAX_TARGETS - len(targets))
        form = PathForm(formdata=None, data={**data, "targets": targets})
    locale = current_locale()
    form.set_skill_choices([("", _("(no skill)"))] + sorted(
        ((s.slug, s.name(locale)) for s in _skills().values()), key=lambda c: c[1].lower()))
    return form


def _form_data(form: PathForm) -> dict:
    return {
        "slug": form.slug.data or "", "title_en": form.title_en.data or "",
        "title_nl": form.title_nl.data or "", "description_en": form.description_en.data or "",
        "description_nl": form.description_nl.data or "", "kind": form.kind.data,
        "loaded_at": form.loaded_at.data or "", "new_step": form.new_step.data or "",
        "targets": [{"skill": e.form.skill.data or "", "level": e.form.level.data}
                    for e in form.targets],
        "steps": [{"module": e.form.module.data or "", "optional": bool(e.form.optional.data)}
                  for e in form.steps],
    }


def _action() -> tuple[str | None, int | None]:
    """The pressed button: ('save', None), ('up', 2), ...; (None, None) when unknown."""
    value = request.form.get("action", "preview")
    name, _sep, raw = value.partition(":")
    if name in FORM_ACTIONS and not raw:
        return name, None
    if name in authoring.STEP_ACTIONS and raw.isascii() and raw.isdigit() and len(raw) < 4:
        return name, int(raw)
    return None, None


def _render_editor(form: PathForm, path: GrowthPath | None, status: int = 200,
                   problems=(), notice=None):
    data = _form_data(form)
    step_modules = authoring.modules_by_slug(s["module"] for s in data["steps"])
    return render_template(
        "paths/author/edit.html", form=form, path=path, problems=problems, notice=notice,
        steps=list(zip(form.steps, [step_modules.get(s["module"]) for s in data["steps"]],
                       strict=True)),
        preview=authoring.preview(data, step_modules, _skills(), current_locale()),
        module_options=authoring.module_options(),
        followers=authoring.followers(path) if path else 0, action_form=ActionForm(),
        locale=current_locale()), status


def _slug(form: PathForm, path: GrowthPath | None) -> str | None:
    """The path's slug, or a new path's from the form (None, with the field's error)."""
    if path is not None:
        return path.slug
    try:
        return authoring.new_path_slug(form.slug.data)
    except authoring.PathError as error:
        form.slug.errors = [str(error.message)]
        return None


def _save(form: PathForm, data: dict, path: GrowthPath | None):
    """Validate like the YAML import and save; the editor again when that fails."""
    valid = form.validate()
    valid = form.check_targets() and valid
    slug = _slug(form, path)
    if not valid or slug is None:
        return _render_editor(form, path, 400)
    try:
        result = authoring.save_editor_data(data, slug, path)
        if result.saved:
            db.session.commit()
    except IntegrityError:  # the same slug created at the same moment
        db.session.rollback()
        form.slug.errors = [str(authoring.taken_message(slug))]
        return _render_editor(form, None, 400)
    if result.outcome == "invalid":
        return _render_editor(form, path, 400, problems=result.problems)
    if result.outcome == "conflict":
        form.loaded_at.data = authoring.stamp(path)
        return _render_editor(form, path, 409, notice=EDIT_CONFLICT)
    message, category = SAVED_MESSAGES[result.outcome]
    flash(str(message), category)
    return redirect(url_for(".edit", slug=result.path.slug))


def _editor_post(path: GrowthPath | None):
    """Apply the pressed button to the submitted path; only Save writes."""
    if not csrf_token_valid():
        return _render_editor(_path_form(), path, 400, notice=CSRF_EXPIRED)
    action, index = _action()
    data = _form_data(_path_form())
    if action is None or (index is not None and not authoring.change_steps(data, action, index)):
        return _render_editor(_path_form(data), path, 400)
    error = None
    if data["new_step"]:
        error = authoring.add_step(data)
    elif action == "add":
        error = _l("Please enter the address (slug) of a module.")
    form = _path_form(data, extra_target=action == "add-target")
    if error is not None:
        form.new_step.errors = [error]
        return _render_editor(form, path, 400)
    if action == "save":
        return _save(form, data, path)
    return _render_editor(form, path)


def _status_message(status: str, title: str) -> str:
    if status == "published":
        return _("%(title)s is published: learners can find and follow it.", title=title)
    if status == "draft":
        return _("%(title)s is a draft again: learners no longer see it.", title=title)
    return _("%(title)s is archived: learners no longer see it; enrolments and progress are "
             "kept.", title=title)


def _path_or_404(slug: str) -> GrowthPath:
    path = authoring.get_path(slug)
    if path is None:
        abort(404)
    return path


# Pages -----------------------------------------------------------------------------------------


@bp.route("/", strict_slashes=False)
@roles_required("author")
def index():
    """Every growth path with its status, kind, steps and how many people follow it."""
    return render_template("paths/author/index.html", rows=authoring.path_list(current_locale()),
                           action_form=ActionForm(), locale=current_locale())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def new():
    """Create a growth path: titles, kind, target skills and ordered steps."""
    if request.method == "POST":
        return _editor_post(None)
    return _render_editor(_path_form(authoring.new_editor_data()), None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def edit(slug: str):
    """Edit a path: reorder, add, remove and mark steps optional, preview, save."""
    path = _path_or_404(slug)
    if request.method == "POST":
        return _editor_post(path)
    return _render_editor(_path_form(authoring.editor_data(path)), path)


@bp.route("/<slug>/status", methods=["POST"])
@roles_required("author")
def set_status(slug: str):
    """Publish, unpublish (draft) or archive a path; enrolments and progress are kept."""
    path = _path_or_404(slug)
    status = request.form.get("status", "")
    if not ActionForm().validate_on_submit() or status not in authoring.PATH_STATUSES:
        abort(400)
    authoring.set_path_status(path, status)
    db.session.commit()
    flash(_status_message(status, path.title(current_locale())), "success")
    return redirect(safe_next(request.form.get("next"), url_for(".edit", slug=path.slug)))


@bp.route("/split/<slug>", methods=["POST"])
@roles_required("author")
def split_module(slug: str):
    """Split a long module at a heading into two modules and a path that links them."""
    module = get_module(slug)
    if module is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    line = request.form.get("line", "")
    try:
        result = module_split.split_module(module, int(line) if line.isdigit() else 0)
    except ModuleError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("write.edit", slug=slug))
    db.session.commit()
    flash(_("Split in two: '%(first)s' and '%(second)s', both drafts, linked in the path "
            "'%(path)s'. Publish each when it is ready.", first=result.first.title,
            second=result.second.title, path=result.path.slug), "success")
    return redirect(url_for("write.edit", slug=result.first.slug))
