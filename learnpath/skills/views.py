"""Author pages for skills: the list, a new skill, editing one (under /author/paths/skills)."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from learnpath.extensions import csrf, db
from learnpath.skills import services
from learnpath.skills.forms import NewSkillForm, SkillForm
from learnpath.web.access import roles_required
from learnpath.web.forms import csrf_token_valid
from learnpath.web.i18n import current_locale
from learnpath.web.i18n import lazy_text as _l

bp = Blueprint("skills", __name__)

CSRF_EXPIRED = _l("Your editing session expired, so nothing was saved yet. Everything you "
                  "entered is still here: press the button again.")




def _render_skill(form, skill=None, status=200, notice=None):
    return render_template("skills/edit.html", form=form, skill=skill,
                           categories=services.skill_categories(), notice=notice), status


def _skill_values(form) -> dict:
    return {key: getattr(form, key).data or "" for key in services.SKILL_FIELDS}


@bp.route("/")
@roles_required("author")
def index():
    """Every skill with its category, ESCO concept and how many paths lead to it."""
    return render_template("skills/index.html", rows=services.skill_list(), locale=current_locale())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def new():
    """Create a skill that paths can lead to and modules can teach."""
    form = NewSkillForm()
    if request.method == "GET":
        return _render_skill(form)
    if not csrf_token_valid():
        return _render_skill(form, status=400, notice=CSRF_EXPIRED)
    if not form.validate():
        return _render_skill(form, status=400)
    try:
        services.create_skill(form.slug.data, _skill_values(form))
        db.session.commit()
    except services.SkillError as error:
        form.slug.errors = [str(error.message)]
        return _render_skill(form, status=400)
    except IntegrityError:  # the same slug created at the same moment
        db.session.rollback()
        form.slug.errors = [str(services.taken_message(services.normalise_slug(form.slug.data)))]
        return _render_skill(form, status=400)
    flash(_("The skill is created."), "success")
    return redirect(url_for(".index"))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def edit(slug: str):
    """Edit a skill's names, descriptions, category and ESCO concept."""
    skill = services.get_skill(slug)
    if skill is None:
        abort(404)
    if request.method == "GET":
        return _render_skill(SkillForm(obj=skill), skill)
    form = SkillForm()
    if not csrf_token_valid():
        return _render_skill(form, skill, 400, notice=CSRF_EXPIRED)
    if not form.validate():
        return _render_skill(form, skill, 400)
    services.save_skill(skill, skill.slug, _skill_values(form))
    db.session.commit()
    flash(_("The skill is saved."), "success")
    return redirect(url_for(".index"))
