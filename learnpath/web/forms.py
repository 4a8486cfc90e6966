"""Form helpers shared by the features, and the empty confirm form."""

from collections.abc import Iterable

from flask import current_app, g, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from markupsafe import Markup, escape
from wtforms import SelectChoice, SelectMultipleField, ValidationError, widgets


def csrf_token_valid() -> bool:
    """Check the CSRF token of a view exempt from the global check, without aborting.

    Editors use it so an expired token re-renders the form with everything the person typed,
    instead of the global 400 page that would lose it.
    """
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    try:
        validate_csrf(request.form.get(field_name))
    except ValidationError:
        return False
    g.csrf_valid = True  # the form does not check the same token again
    return True


def select_choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select field.

    wtforms 3.3 deprecates (value, label) tuples as choices (removed in 3.4); services keep
    returning plain pairs and the forms turn them into options here.
    """
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice rendered as a list of checkboxes (usable on a phone, unlike <select>)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class FastSelect(widgets.Select):
    """wtforms' <select> with a shortcut for plain options, for lists of hundreds of choices.

    Gives the same markup as wtforms (attributes sorted, so `selected` before `value`) without
    building and sorting an attribute dict per option; anything unusual goes to wtforms.
    """

    @classmethod
    def render_option(cls, choice, **kwargs):
        value = choice.value
        if kwargs or choice.render_kw or not isinstance(value, str):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or value)
        return Markup(f'<option {selected}value="{escape(value)}">{label}</option>')


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with a CSRF token."""
