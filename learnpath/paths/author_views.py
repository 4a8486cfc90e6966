"""Author pages for growth paths and skills: list, create, edit steps with preview, publish.

The path editor works without JavaScript: every button submits the whole form, and moving,
adding or removing a step re-renders it with the change applied; only Save writes. Saving
runs the same validation as the YAML import (catalog.parse_path) and stores through
catalog.save_path, so the browser and `learnpath content import` apply the same rules.
"""

from dataclasses import dataclass

import yaml
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from wtforms import ValidationError

from learnpath.extensions import csrf, db
from learnpath.modules import services as modules
from learnpath.modules.parsing import slugify
from learnpath.paths import catalog
from learnpath.paths.author_forms import (
    MAX_STEPS,
    MAX_TARGETS,
    PATH_SLUG_MAX,
    SKILL_SLUG_MAX,
    ActionForm,
    NewSkillForm,
    PathForm,
    SkillForm,
)
from learnpath.paths.models import Enrolment, GrowthPath, PathStep, PathTarget, Skill
from learnpath.web.access import roles_required, safe_next
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("path_author", __name__)

PATH_STATUSES = ("draft", "published", "archived")
PATH_STATUS_NAMES = {"draft": _l("Draft"), "published": _l("Published"),
                     "archived": _l("Archived")}
KIND_NAMES = {"vertical": _l("Vertical"), "horizontal": _l("Horizontal")}
CSRF_EXPIRED = _l("Your editing session expired, so nothing was saved yet. Everything you "
                  "entered is still here: press the button again.")
EDIT_CONFLICT = _l("Someone else saved this path while you were editing it. Nothing was "
                   "overwritten: your version is below. Saving again replaces theirs.")
STEP_ACTIONS = ("up", "down", "remove")
FORM_ACTIONS = ("save", "preview", "add", "add-target")


@bp.context_processor
def author_names():
    return {"path_status_names": PATH_STATUS_NAMES, "path_kind_names": KIND_NAMES}


# Queries for the pages (plain functions, no request objects) -----------------------------------


def path_list(locale: str) -> list[dict]:
    """Every path with its step, warning and enrolment counts, in three queries."""
    paths = sorted(db.session.scalars(select(GrowthPath)),
                   key=lambda p: (p.title(locale) or p.slug).lower())
    steps = {row.path_id: row for row in db.session.execute(
        select(PathStep.path_id, func.count(PathStep.id).label("steps"),
               func.sum(case((modules.Module.status != "published", 1), else_=0))
               .label("unavailable"))
        .join(modules.Module, modules.Module.id == PathStep.module_id)
        .group_by(PathStep.path_id))}
    people = {row.path_id: row for row in db.session.execute(
        select(Enrolment.path_id,
               func.sum(case((Enrolment.state == "active", 1), else_=0)).label("active"),
               func.sum(case((Enrolment.state == "completed", 1), else_=0)).label("completed"))
        .group_by(Enrolment.path_id))}
    rows = []
    for path in paths:
        step_row, people_row = steps.get(path.id), people.get(path.id)
        rows.append({
            "path": path,
            "steps": step_row.steps if step_row else 0,
            "unavailable": int(step_row.unavailable or 0) if step_row else 0,
            "active": int(people_row.active or 0) if people_row else 0,
            "completed": int(people_row.completed or 0) if people_row else 0,
        })
    return rows


def path_form_data(path: GrowthPath) -> dict:
    """The editor's data for a saved path: targets by skill slug, steps by module slug."""
    slugs = dict(db.session.execute(
        select(modules.Module.id, modules.Module.slug)
        .join(PathStep, PathStep.module_id == modules.Module.id)
        .where(PathStep.path_id == path.id)).all())
    return {
        "title_en": path.title_en, "title_nl": path.title_nl,
        "description_en": path.description_en, "description_nl": path.description_nl,
        "kind": path.kind, "loaded_at": _stamp(path), "new_step": "",
        "targets": [{"skill": t.skill.slug, "level": str(t.level)} for t in path.targets],
        "steps": [{"module": slugs[s.module_id], "optional": s.optional} for s in path.steps],
    }


def modules_by_slug(slugs) -> dict[str, modules.Module]:
    """Modules with their current version, in two queries."""
    slugs = [s for s in set(slugs) if s]
    if not slugs:
        return {}
    return {m.slug: m for m in db.session.scalars(
        select(modules.Module).options(db.selectinload(modules.Module.current_version))
        .where(modules.Module.slug.in_(slugs)))}


def module_options() -> list[tuple[str, str]]:
    """(slug, title) of every module that is not archived, for the step picker."""
    title = func.coalesce(modules.ModuleVersion.title, modules.Module.draft_title)
    return db.session.execute(
        select(modules.Module.slug, title)
        .outerjoin(modules.ModuleVersion,
                   modules.ModuleVersion.id == modules.Module.current_version_id)
        .where(modules.Module.status != "archived").order_by(modules.Module.slug)).all()


def followers(path: GrowthPath) -> int:
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.path_id == path.id, Enrolment.state == "active")) or 0


def create_path(data: catalog._PathData) -> GrowthPath:
    """Create a path as a draft from validated data; a taken slug raises IntegrityError."""
    path = GrowthPath(slug=data.slug, title_nl=data.title_nl, title_en=data.title_en,
                      kind=data.kind, status="draft")
    db.session.add(path)
    db.session.flush()
    catalog.save_path(data, path)
    return path


def set_path_status(path: GrowthPath, status: str) -> None:
    if status not in PATH_STATUSES:
        raise ValueError(status)
    path.status = status
    db.session.flush()


def skill_list() -> list[tuple[Skill, int]]:
    """Skills with the number of paths that lead to them, in two queries."""
    used = dict(db.session.execute(
        select(PathTarget.skill_id, func.count(PathTarget.path_id))
        .group_by(PathTarget.skill_id)).all())
    skills = db.session.scalars(select(Skill).order_by(Skill.category, Skill.slug)).all()
    return [(skill, used.get(skill.id, 0)) for skill in skills]


def get_skill(slug: str) -> Skill | None:
    return db.session.scalar(select(Skill).where(Skill.slug == slug))


SKILL_FIELDS = ("name_en", "name_nl", "description_en", "description_nl", "category",
                "esco_uri")


def save_skill(skill: Skill | None, slug: str, values: dict) -> Skill:
    """Create (skill None) or update a skill; empty optional values are stored as None."""
    values = {**values, "category": values.get("category") or None,
              "esco_uri": values.get("esco_uri") or None}
    if skill is None:
        skill = Skill(slug=slug)
        db.session.add(skill)
    for key in SKILL_FIELDS:
        setattr(skill, key, values[key])
    db.session.flush()
    return skill


# Helpers ---------------------------------------------------------------------------------------


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _stamp(path: GrowthPath) -> str:
    return path.updated_at.isoformat() if path.updated_at else ""


def _csrf_token_valid() -> bool:
    """Check the CSRF token of a view exempt from the global check, without aborting."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    try:
        validate_csrf(request.form.get(field_name))
    except ValidationError:
        return False
    g.csrf_valid = True  # the form does not check the same token again
    return True


def _skills() -> dict[str, Skill]:
    if "author_skills" not in g:
        g.author_skills = {s.slug: s for s in db.session.scalars(
            select(Skill).order_by(Skill.name_en))}
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
    locale = _locale()
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
    if name in STEP_ACTIONS and raw.isascii() and raw.isdigit() and len(raw) < 4:
        return name, int(raw)
    return None, None


def _add_step(data: dict):
    """Append the module named in new_step; return an error message or None."""
    slug = slugify(data["new_step"])[:PATH_SLUG_MAX]
    module = modules.get_module(slug) if slug else None
    if module is None:
        return _l("Unknown module '%(slug)s'.", slug=data["new_step"])
    taken = [s["module"] for s in data["steps"]]
    if module.slug in taken:
        return _l("The module '%(slug)s' is already step %(n)d.", slug=module.slug,
                  n=taken.index(module.slug) + 1)
    if len(taken) >= MAX_STEPS:
        return _l("A path can have at most %(max)d steps.", max=MAX_STEPS)
    data["steps"].append({"module": module.slug, "optional": False})
    data["new_step"] = ""
    return None


def _change_steps(data: dict, action: str, index: int) -> bool:
    steps = data["steps"]
    if not 0 <= index < len(steps):
        return False
    if action == "remove":
        del steps[index]
    else:
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
    return True


def _duplicate_targets(form: PathForm) -> bool:
    seen = set()
    found = False
    for entry in form.targets:
        skill = entry.form.skill.data
        if skill and skill in seen:
            entry.form.skill.errors = [*entry.form.skill.errors,
                                       _("This skill is already a target of the path.")]
            found = True
        seen.add(skill)
    return found


def _is_number(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) < 4


def _yaml_text(data: dict, slug: str) -> str:
    """The path as the YAML file `learnpath content export` would write."""
    document = {
        "slug": slug,
        "title": {"nl": data["title_nl"], "en": data["title_en"]},
        "description": {"nl": data["description_nl"], "en": data["description_en"]},
        "kind": data["kind"],
        "targets": [{"skill": t["skill"],
                     "level": int(t["level"]) if _is_number(t["level"]) else t["level"]}
                    for t in data["targets"] if t["skill"]],
        "steps": [{"module": s["module"], **({"optional": True} if s["optional"] else {})}
                  for s in data["steps"]],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@dataclass
class Preview:
    """What a learner would see: the path in the author's language and the steps."""

    title: str
    description: str
    other_title: str
    other_description: str
    kind: str
    targets: list[tuple[Skill, int]]
    steps: list[tuple[dict, modules.Module | None]]


def _preview(data: dict, step_modules: dict) -> Preview:
    locale = _locale()
    own, other = ("nl", "en") if locale == "nl" else ("en", "nl")

    def text(key, language):
        return data[f"{key}_{language}"] or data[f"{key}_{'en' if language == 'nl' else 'nl'}"]

    skills = _skills()
    targets = [(skills[t["skill"]], t["level"]) for t in data["targets"]
               if t["skill"] in skills]
    return Preview(text("title", own), text("description", own), text("title", other),
                   text("description", other), data["kind"], targets,
                   [(step, step_modules.get(step["module"])) for step in data["steps"]])


def _render_editor(form: PathForm, path: GrowthPath | None, status: int = 200,
                   problems=(), notice=None):
    data = _form_data(form)
    step_modules = modules_by_slug(s["module"] for s in data["steps"])
    return render_template(
        "paths/author/edit.html", form=form, path=path, problems=problems, notice=notice,
        steps=list(zip(form.steps, [step_modules.get(s["module"]) for s in data["steps"]],
                       strict=True)),
        preview=_preview(data, step_modules), module_options=module_options(),
        followers=followers(path) if path else 0, action_form=ActionForm(),
        locale=_locale()), status


def _new_slug(form: PathForm) -> str | None:
    slug = slugify(form.slug.data or "")
    if not slug:
        form.slug.errors = [_("Use letters, digits and hyphens for the address (slug).")]
        return None
    if db.session.scalar(select(GrowthPath.id).where(GrowthPath.slug == slug)) is not None:
        form.slug.errors = [_("A path with the address '%(slug)s' already exists.", slug=slug)]
        return None
    return slug


def _save(form: PathForm, data: dict, path: GrowthPath | None):
    """Validate like the YAML import and save; a response on failure, else the saved path."""
    valid = form.validate()
    if _duplicate_targets(form):
        valid = False
    slug = path.slug if path else _new_slug(form)
    if not valid or slug is None:
        return _render_editor(form, path, 400)
    result = catalog.PathFileResult(f"{slug}.yml", slug, "invalid")
    parsed = catalog.parse_path(_yaml_text(data, slug), f"{slug}.yml", result)
    if parsed is None:
        return _render_editor(form, path, 400, problems=[p.message for p in result.errors])
    if path is not None and data["loaded_at"] != _stamp(path):
        form.loaded_at.data = _stamp(path)
        return _render_editor(form, path, 409, notice=EDIT_CONFLICT)
    try:
        if path is None:
            path, outcome = create_path(parsed), "created"
        else:
            path, outcome = catalog.save_path(parsed, path)
        db.session.commit()
    except IntegrityError:  # the same slug created at the same moment
        db.session.rollback()
        form.slug.errors = [_("A path with the address '%(slug)s' already exists.", slug=slug)]
        return _render_editor(form, None, 400)
    if outcome == "created":
        flash(_("The path is created as a draft. Publish it when it is ready."), "success")
    elif outcome == "unchanged":
        flash(_("Nothing has changed, so nothing was saved."), "info")
    else:
        flash(_("The path is saved."), "success")
    return redirect(url_for(".edit", slug=path.slug))


def _editor_post(path: GrowthPath | None):
    """Apply the pressed button to the submitted path; only Save writes."""
    if not _csrf_token_valid():
        return _render_editor(_path_form(), path, 400, notice=CSRF_EXPIRED)
    action, index = _action()
    data = _form_data(_path_form())
    if action is None or (index is not None and not _change_steps(data, action, index)):
        return _render_editor(_path_form(data), path, 400)
    error = None
    if data["new_step"]:
        error = _add_step(data)
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
    path = db.session.scalar(select(GrowthPath).where(GrowthPath.slug == slug))
    if path is None:
        abort(404)
    return path


# Paths -----------------------------------------------------------------------------------------


@bp.route("/", strict_slashes=False)
@roles_required("author")
def index():
    """Every growth path with its status, kind, steps and how many people follow it."""
    return render_template("paths/author/index.html", rows=path_list(_locale()),
                           action_form=ActionForm(), locale=_locale())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def new():
    """Create a growth path: titles, kind, target skills and ordered steps."""
    if request.method == "POST":
        return _editor_post(None)
    data = {"slug": "", "title_en": "", "title_nl": "", "description_en": "",
            "description_nl": "", "kind": "horizontal", "loaded_at": "", "new_step": "",
            "targets": [], "steps": []}
    return _render_editor(_path_form(data), None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def edit(slug: str):
    """Edit a path: reorder, add, remove and mark steps optional, preview, save."""
    path = _path_or_404(slug)
    if request.method == "POST":
        return _editor_post(path)
    return _render_editor(_path_form(path_form_data(path)), path)


@bp.route("/<slug>/status", methods=["POST"])
@roles_required("author")
def set_status(slug: str):
    """Publish, unpublish (draft) or archive a path; enrolments and progress are kept."""
    path = _path_or_404(slug)
    status = request.form.get("status", "")
    if not ActionForm().validate_on_submit() or status not in PATH_STATUSES:
        abort(400)
    set_path_status(path, status)
    db.session.commit()
    flash(_status_message(status, path.title(_locale())), "success")
    return redirect(safe_next(request.form.get("next"), url_for(".edit", slug=path.slug)))


# Skills ----------------------------------------------------------------------------------------


@bp.route("/skills/")
@roles_required("author")
def skills():
    """Every skill with its category, ESCO concept and how many paths lead to it."""
    return render_template("paths/author/skills.html", rows=skill_list(), locale=_locale())


def _render_skill(form, skill=None, status=200, notice=None):
    categories = sorted({c for c in db.session.scalars(select(Skill.category).distinct())
                         if c})
    return render_template("paths/author/skill.html", form=form, skill=skill,
                           categories=categories, notice=notice), status


def _skill_values(form) -> dict:
    return {key: getattr(form, key).data or "" for key in SKILL_FIELDS}


@bp.route("/skills/new", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def new_skill():
    """Create a skill that paths can lead to and modules can teach."""
    form = NewSkillForm()
    if request.method == "GET":
        return _render_skill(form)
    if not _csrf_token_valid():
        return _render_skill(form, status=400, notice=CSRF_EXPIRED)
    if not form.validate():
        return _render_skill(form, status=400)
    slug = slugify(form.slug.data)[:SKILL_SLUG_MAX]
    if not slug:
        form.slug.errors = [_("Use letters, digits and hyphens for the address (slug).")]
        return _render_skill(form, status=400)
    if get_skill(slug) is not None:
        form.slug.errors = [_("A skill with the address '%(slug)s' already exists.", slug=slug)]
        return _render_skill(form, status=400)
    try:
        save_skill(None, slug, _skill_values(form))
        db.session.commit()
    except IntegrityError:  # the same slug created at the same moment
        db.session.rollback()
        form.slug.errors = [_("A skill with the address '%(slug)s' already exists.", slug=slug)]
        return _render_skill(form, status=400)
    flash(_("The skill is created."), "success")
    return redirect(url_for(".skills"))


@bp.route("/skills/<slug>/edit", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def edit_skill(slug: str):
    """Edit a skill's names, descriptions, category and ESCO concept."""
    skill = get_skill(slug)
    if skill is None:
        abort(404)
    if request.method == "GET":
        return _render_skill(SkillForm(obj=skill), skill)
    form = SkillForm()
    if not _csrf_token_valid():
        return _render_skill(form, skill, 400, notice=CSRF_EXPIRED)
    if not form.validate():
        return _render_skill(form, skill, 400)
    save_skill(skill, skill.slug, _skill_values(form))
    db.session.commit()
    flash(_("The skill is saved."), "success")
    return redirect(url_for(".skills"))
