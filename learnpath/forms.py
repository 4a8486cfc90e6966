"""Form helpers shared by the features."""

from wtforms import SelectMultipleField, widgets


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice rendered as a list of checkboxes (usable on a phone, unlike <select>)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
