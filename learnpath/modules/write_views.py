"""The form editor: front-matter fields, a Markdown body, a question builder and images.

The module file stays the source of truth: the form is read from it and written back into it,
and "Edit as Markdown" (author.edit) opens the same text. Saves are conflict-safe through
authoring.save_from_editor, like the Markdown editor's.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from learnpath.extensions import csrf, db
from learnpath.modules import assets, authoring, guard, quiz_builder, services, writing
from learnpath.modules.author_forms import ActionForm, EditorForm
from learnpath.modules.author_views import CSRF_EXPIRED, MODULE_STATUS_NAMES, NEW_SLUG
from learnpath.modules.frontmatter import MICRO_MINUTES
from learnpath.modules.models import Module
from learnpath.modules.starters import STARTER_NAMES, starter_source
from learnpath.modules.write_forms import NewWriteForm, WriteForm
from learnpath.slugs import slugify
from learnpath.web.access import roles_required
from learnpath.web.forms import csrf_token_valid, select_choices
from learnpath.web.i18n import language_name

bp = Blueprint("write", __name__)

ADD_ACTIONS = {"add-single": quiz_builder.SINGLE, "add-multiple": quiz_builder.MULTIPLE,
               "add-fill": quiz_builder.FILL}


def _module_or_404(slug: str) -> Module:
    module = services.get_module(slug)
    if module is None:
        abort(404)
    return module


def _slug_notice(typed: str, slug: str) -> None:
    if authoring.slug_was_changed(typed, slug):
        flash(_("The address you typed, '%(typed)s', became '%(slug)s': addresses use "
                "lower-case letters, digits and hyphens only.", typed=typed.strip(),
                slug=slug), "info")


# A new module ---------------------------------------------------------------------------------


def _render_new(form, status=200, notice=None):
    return render_template("modules/author/write_new.html", form=form, notice=notice,
                           starters=STARTER_NAMES), status


@bp.route("/write", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the input back
def new():
    """Start a module from one of three starting points, then open it in the form editor."""
    form = NewWriteForm()
    if request.method == "GET":
        return _render_new(form)
    if not csrf_token_valid():
        return _render_new(form, 400, CSRF_EXPIRED)
    if not form.validate():
        return _render_new(form, 400)
    typed = form.slug.data or form.title.data
    source = starter_source(form.starter.data, form.language.data, form.title.data.strip())
    try:
        module = authoring.create_module(typed, source, form.language.data)
        db.session.commit()
    except services.ModuleError as error:
        db.session.rollback()
        form.slug.errors.append(str(error.message))
        return _render_new(form, 400)
    except IntegrityError:  # the same address created at the same moment
        db.session.rollback()
        form.slug.errors.append(_("A module with the address '%(slug)s' already exists.",
                                  slug=slugify(typed)))
        return _render_new(form, 400)
    if form.slug.data:
        _slug_notice(form.slug.data, module.slug)
    flash(_("The module is created as a draft at the address '%(slug)s'. Write it, then "
            "publish it.", slug=module.slug), "success")
    return redirect(url_for("write.edit", slug=module.slug))


# The form editor ------------------------------------------------------------------------------


def _fill_form(form: WriteForm, module: Module, split) -> None:
    values = split.fields
    for name in writing.FORM_FIELDS:
        getattr(form, name).data = values.get(name) or ([] if name == "skills" else "")
    form.language.data = values.get("language") or module.language
    form.level.data = values.get("level") or "beginner"
    form.body.data = split.body
    form.slug.data = module.slug
    form.edit_count.data = module.edit_count


def _language_choices(form: WriteForm, module: Module) -> None:
    known = [choice.value for choice in form.language.choices]
    extra = [code for code in dict.fromkeys((module.language, form.language.data))
             if code and code not in known]
    form.language.choices = [*form.language.choices, *select_choices(
        (code, language_name(code)) for code in extra)]


def _render(module, form, questions, parsed=None, status=200, notice=None, guard_shown=False,
            builder_problems=()):
    _language_choices(form, module)
    placed = writing.place_problems(parsed, builder_problems)
    for name, messages in placed.fields.items():
        getattr(form, name).errors = [*getattr(form, name).errors, *map(str, messages)]
    source = parsed.source if parsed else writing.working_text(module)
    return render_template(
        "modules/author/write.html", module=module, form=form, questions=questions,
        parsed=parsed, placed=placed, notice=notice, action_form=ActionForm(),
        preview_html=authoring.rewrite_relative_urls(parsed.html, module.asset_dir)
        if parsed else "",
        advice=guard.advice(parsed) if parsed else None, show_guard=guard_shown,
        headings=guard.headings(source) if guard_shown else [], micro=MICRO_MINUTES,
        images=assets.assets_of(module), max_questions=quiz_builder.MAX_QUESTIONS,
        max_options=quiz_builder.MAX_OPTIONS,
    ), status


def _values(form: WriteForm) -> dict:
    return {name: getattr(form, name).data for name in writing.FORM_FIELDS}


def _check(module, source):
    return authoring.check_source(source, module.slug, module.language)


@bp.route("/<slug>/write", methods=["GET", "POST"])
@roles_required("author")
@csrf.exempt  # checked in the view, so an expired token gives the text back
def edit(slug: str):
    """The form editor of one module."""
    module = _module_or_404(slug)
    form = WriteForm()
    if request.method == "GET":
        split = writing.load(module)
        if not split.readable:
            return _render_unreadable(module, split)
        _fill_form(form, module, split)
        source = writing.working_text(module)
        notice = _("In this file, text follows a question. The form shows the questions "
                   "together; saving here puts them at the end of the module. Use Edit as "
                   "Markdown to keep them where they are.") if split.quizzes_moved else None
        return _render(module, form, split.questions, _check(module, source), notice=notice)
    questions = quiz_builder.from_form(request.form)
    if not csrf_token_valid():
        return _render(module, form, questions, status=400, notice=CSRF_EXPIRED)
    if not form.validate():
        return _render(module, form, questions, status=400)
    action = request.form.get("action", "save")
    if action in ADD_ACTIONS or action.startswith("remove-"):
        return _change_questions(module, form, questions, action)
    if action == "upload":
        return _upload_into_form(module, form, questions)
    return _save(module, form, questions, action)


def _render_unreadable(module, split):
    return render_template("modules/author/write_unreadable.html", module=module,
                           problems=split.problems), 200


def _change_questions(module, form, questions, action):
    if action.startswith("remove-"):
        index = action.removeprefix("remove-")
        if index.isdigit() and int(index) < len(questions):
            del questions[int(index)]
    questions = writing.questions_or_blank(questions, ADD_ACTIONS.get(action))
    source = writing.compose(module, _values(form), form.body.data, questions)
    return _render(module, form, questions, _check(module, source))


def _upload_into_form(module, form, questions):
    """Without JavaScript: store the image and add its Markdown at the end of the text."""
    upload = form.image.data
    if not upload or not getattr(upload, "filename", ""):
        form.image.errors = [_("Please choose an image file.")]
        return _render(module, form, questions, status=400)
    try:
        asset = assets.store_image(module, current_user, upload.filename, upload.read())
    except assets.AssetError as error:
        db.session.rollback()
        form.image.errors = [str(error.message)]
        return _render(module, form, questions, status=400)
    db.session.commit()
    markdown = assets.markdown_for(asset, form.image_alt.data)
    form.body.data = f"{(form.body.data or '').rstrip()}\n\n{markdown}\n"
    form.image_alt.data = ""
    source = writing.compose(module, _values(form), form.body.data, questions)
    return _render(module, form, questions, _check(module, source),
                   notice=_("The image is added at the end of the text. Save to keep it there."))


def _rename(module, form) -> bool:
    """Change the address before the first publish; False (with a field error) when refused."""
    typed = (form.slug.data or "").strip()
    if module.current_version is not None or not typed or typed == module.slug:
        return True
    try:
        slug = authoring.rename(module, typed)
    except services.ModuleError as error:
        db.session.rollback()
        form.slug.errors = [str(error.message)]
        return False
    _slug_notice(typed, slug)
    return True


def _save(module, form, questions, action):
    builder_problems = quiz_builder.check(questions)
    source = writing.compose(module, _values(form), form.body.data, questions)
    parsed = _check(module, source)
    if action == "preview":
        return _render(module, form, questions, parsed, builder_problems=builder_problems)
    if not _rename(module, form):
        return _render(module, form, questions, parsed, 400)
    advice = guard.advice(parsed)
    note = " ".join((form.publish_note.data or "").split())
    wants_publish = action in ("publish", "publish-anyway")
    if action == "publish-anyway" and advice.too_long and not note:
        form.publish_note.errors = [_("Please say why this module stays longer than "
                                      "%(limit)d minutes.", limit=MICRO_MINUTES)]
        wants_publish = False
    if wants_publish and builder_problems:  # a broken question would show as plain text
        result = authoring.save_from_editor(module, source, _edit_count(form.edit_count.data))
        return _after_refused(module, form, questions, source, result, builder_problems)
    hold = wants_publish and advice.too_long and action != "publish-anyway"
    result = authoring.save_from_editor(
        module, source, _edit_count(form.edit_count.data), current_user._get_current_object(),
        publish_too=wants_publish and not hold, note=note if advice.too_long else None)
    if result.outcome == "conflict":
        db.session.rollback()
        return _conflict(module, source, result)
    db.session.commit()
    form.edit_count.data = result.edit_count
    form.slug.data = module.slug
    if hold or (action == "publish-anyway" and not wants_publish):
        return _render(module, form, questions, result.parsed, 200 if hold else 400,
                       guard_shown=True, builder_problems=builder_problems)
    if result.outcome == "unpublishable":
        return _render(module, form, questions, result.parsed, 400,
                       notice=_("Your text is saved as a draft, but it cannot be published "
                                "yet: fix the problems shown with the fields and questions."),
                       builder_problems=builder_problems)
    _flash_saved(result, advice)
    return redirect(url_for("write.edit", slug=module.slug))


def _after_refused(module, form, questions, source, result, builder_problems):
    """The draft is saved; publishing waits until the questions marked are fixed."""
    if result.outcome == "conflict":
        db.session.rollback()
        return _conflict(module, source, result)
    db.session.commit()
    form.edit_count.data = result.edit_count
    return _render(module, form, questions, result.parsed, 400,
                   notice=_("Your text is saved as a draft, but it cannot be published yet: "
                            "fix the problems shown with the fields and questions."),
                   builder_problems=builder_problems)


def _flash_saved(result, advice) -> None:
    if result.outcome == "published":
        flash(_("Version %(number)d published.", number=result.version.number), "success")
    elif result.parsed.ok:
        flash(_("Draft saved."), "success")
    else:
        flash(_("Draft saved. Fix the problems shown with the fields and questions before "
                "publishing."), "info")
    if advice.no_check:
        flash(_("Tip: a question or two at the end helps learners remember. Add one with the "
                "question builder."), "info")


def _edit_count(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _conflict(module, mine, result):
    form = EditorForm(formdata=None)
    form.source.data = mine
    form.edit_count.data = result.edit_count
    lines = authoring.version_diff(result.theirs, mine, _("Saved meanwhile"), _("Your text"))
    return render_template("modules/author/conflict.html", module=module, form=form,
                           theirs=result.theirs, lines=lines), 409


@bp.route("/<slug>/write/preview", methods=["POST"])
@roles_required("author")
def preview(slug: str):
    """The rendered form as an HTML fragment with the estimate, for the live preview."""
    module = _module_or_404(slug)
    form = WriteForm()
    form.validate()
    questions = quiz_builder.from_form(request.form)
    source = writing.compose(module, _values(form), form.body.data or "", questions)
    parsed = _check(module, source)
    return render_template("modules/author/_write_preview.html", module=module, parsed=parsed,
                           placed=writing.place_problems(parsed, quiz_builder.check(questions)),
                           advice=guard.advice(parsed), micro=MICRO_MINUTES,
                           preview_html=authoring.rewrite_relative_urls(parsed.html,
                                                                        module.asset_dir))


@bp.route("/<slug>/assets", methods=["POST"])
@roles_required("author")
def upload_image(slug: str):
    """Store an image for the module (the editor's toolbar); answer with its Markdown."""
    module = _module_or_404(slug)
    upload = request.files.get("image")
    try:
        if upload is None or not upload.filename:
            raise assets.AssetError(_("Please choose an image file."))
        asset = assets.store_image(module, current_user, upload.filename,
                                   upload.read(assets.MAX_BYTES + 1))
    except assets.AssetError as error:
        db.session.rollback()
        return jsonify(error=str(error.message)), 400
    db.session.commit()
    return jsonify(url=assets.asset_url(asset),
                   markdown=assets.markdown_for(asset, request.form.get("alt", ""))), 201


@bp.context_processor
def writer_names():
    return {"module_status_names": MODULE_STATUS_NAMES, "new_slug": NEW_SLUG}
