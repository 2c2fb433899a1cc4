"""Template filters that render Django form widgets with Designsystemet's classes, so the
generic field include (templates/components/field.html) works for every form in the
project without each form setting widget attributes."""
from django import template
from django.forms.boundfield import BoundField, BoundWidget

register = template.Library()

DS_INPUT = "ds-input"


def _with_class(attrs: dict, css_class: str) -> dict:
    attrs = dict(attrs or {})
    classes = (attrs.get("class") or "").split()
    if css_class not in classes:
        classes.append(css_class)
    attrs["class"] = " ".join(classes)
    return attrs


@register.filter
def ds_widget(field: BoundField):
    """The field's widget with class="ds-input"; Django adds aria-invalid and
    aria-describedby (<id>_helptext, <id>_error) itself."""
    return field.as_widget(attrs=_with_class(field.field.widget.attrs, DS_INPUT))


@register.filter
def ds_choice(choice: BoundWidget):
    """One radio button or checkbox of a RadioSelect / CheckboxSelectMultiple, without the
    wrapping label (the include writes its own)."""
    data = {**choice.data, "attrs": _with_class(choice.data.get("attrs"), DS_INPUT), "wrap_label": False}
    return choice.parent_widget._render(choice.template_name, {"widget": data}, choice.renderer)


@register.filter
def ds_anchor(field: BoundField) -> str:
    """The id an error-summary link points at: the input itself, or the first option of a
    group of radio buttons or checkboxes."""
    if field.use_fieldset:
        subwidgets = field.subwidgets
        return subwidgets[0].id_for_label if subwidgets else field.auto_id
    return field.id_for_label or field.auto_id


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return field.use_fieldset and field.widget_type in ("radioselect", "checkboxselectmultiple")
