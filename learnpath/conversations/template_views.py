"""Authors edit the check-in templates and add their own (/author/check-in-templates)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from learnpath.conversations import templates
from learnpath.conversations.forms import TemplateForm
from learnpath.extensions import csrf, db
from learnpath.web.access import roles_required
from learnpath.web.forms import csrf_token_valid, select_choices
from learnpath.web.i18n import current_locale

bp = Blueprint("check_in_templates", __name__)
FIELDS = ("title_en", "title_nl", "questions_en", "questions_nl", "module_en", "module_nl")


def _form(data: dict | None = None) -> TemplateForm:
    form = TemplateForm(data=data) if data is not None else TemplateForm()
    for lang in ("en", "nl"):
        getattr(form, f"module_{lang}").choices = select_choices(
            [("", _("None"))] + templates.module_choices(lang))
    return form


def _editor(form: TemplateForm, key: str | None, status: int = 200):
    return render_template("conversations/template_editor.html", form=form, key=key,
                           locale=current_locale()), status


def _save(key: str | None):
    form = _form()
    if not csrf_token_valid():  # give back what was typed, with a fresh token
        form.title_en.errors = [*form.title_en.errors,
                                _("This form is out of date. Send it again.")]
        return _editor(form, key, 400)
    try:
        row = templates.save_template(key, {name: getattr(form, name).data for name in FIELDS},
                                      token=form.once.data)
    except templates.TemplateError as error:
        field = getattr(form, error.field)
        field.errors = [*field.errors, str(error)]
        return _editor(form, key, 400)
    except LookupError:
        abort(404)
    db.session.commit()
    flash(_("Template saved."), "success")
    return redirect(url_for("check_in_templates.index", _anchor=f"template-{row.key}"), 303)


@bp.route("/", methods=["GET"], strict_slashes=False)
@roles_required("author")
def index():
    """Every check-in template with its questions."""
    return render_template("conversations/templates.html",
                           templates=templates.all_templates(), locale=current_locale())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def new():
    """Write a new check-in template."""
    if request.method == "POST":
        return _save(None)
    return _editor(_form(), None)


@bp.route("/<slug>", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the form back instead of an error
def edit(slug: str):
    """Edit a template's titles and questions."""
    key = slug
    template = templates.get_template(key)
    if template is None:
        abort(404)
    if request.method == "POST":
        return _save(key)
    return _editor(_form(templates.editor_data(template)), key)
