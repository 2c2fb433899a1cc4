"""The form base every screen uses: bokmål default messages (translated through the .po
files like every other string), errors about a group of fields, service errors put back
next to the fields they name, and the number fields people type Norwegian numbers into."""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .ids import id_from
from .uploads import accept_attribute, accepted_types_help, validate_upload

# Bokmål replacements for Django's English default messages, by error code. A message a
# field sets itself (error_messages=...) is kept.
NORWEGIAN_MESSAGES = {
    "required": _("Fyll ut feltet."),
    "invalid_choice": _("Velg et av alternativene."),
    "invalid_list": _("Velg et eller flere av alternativene."),
    "invalid_pk_value": _("Velg et av alternativene."),
    "max_length": _("Skriv høyst %(limit_value)d tegn (nå %(show_value)d)."),
    "min_length": _("Skriv minst %(limit_value)d tegn (nå %(show_value)d)."),
    "null_characters_not_allowed": _("Teksten inneholder ugyldige tegn."),
    "invalid": _("Verdien er ugyldig."),
    "max_digits": _("Skriv et tall med høyst %(max)s sifre."),
    "max_decimal_places": _("Skriv høyst %(max)s desimaler."),
    "max_whole_digits": _("Skriv høyst %(max)s sifre før desimaltegnet."),
    "min_value": _("Verdien kan ikke være mindre enn %(limit_value)s."),
    "max_value": _("Verdien kan ikke være større enn %(limit_value)s."),
    "step_size": _("Verdien må være et multiplum av %(limit_value)s."),
    "missing": _("Velg en fil å laste opp."),
    "empty": _("Filen er tom."),
    "contradiction": _("Velg enten en ny fil eller ingen."),
}
FIELD_INVALID = {
    forms.DecimalField: _("Skriv et tall, for eksempel 250000."),
    forms.IntegerField: _("Skriv et helt tall."),
    forms.DateField: _("Skriv en gyldig dato, for eksempel 31.12.2026."),
    forms.FileField: _("Filen kunne ikke leses. Prøv å laste den opp på nytt."),
}


@dataclass
class GroupError:
    anchor: str
    messages: list[str] = field(default_factory=list)


def _django_defaults(form_field: forms.Field) -> dict:
    defaults: dict = {}
    for cls in reversed(type(form_field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


class BokmalForm(forms.Form):
    """A form whose default error messages are in bokmål (translated to English through the
    .po files like every other string). ``group_errors`` holds errors about several fields at
    once (such as shares that do not total 100); they are shown next to a group of fields and
    linked from the error summary to ``#id_<group>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, GroupError] = {}
        for form_field in self.fields.values():
            defaults = _django_defaults(form_field)
            for code, message in list(form_field.error_messages.items()):
                if message is not defaults.get(code):
                    continue  # the field chose its own message
                if code == "invalid":
                    replacement = next(
                        (text for cls, text in FIELD_INVALID.items() if isinstance(form_field, cls)),
                        NORWEGIAN_MESSAGES["invalid"],
                    )
                    form_field.error_messages[code] = replacement
                elif code in NORWEGIAN_MESSAGES:
                    form_field.error_messages[code] = NORWEGIAN_MESSAGES[code]

    def group_anchor(self, group: str) -> str:
        """The id the error summary links to for GROUP; forms override it."""
        return f"id_{group}"

    def add_group_error(self, group: str, message: str) -> None:
        error = self.group_errors.setdefault(group, GroupError(anchor=self.group_anchor(group)))
        error.messages.append(str(message))

    def is_valid(self) -> bool:
        return super().is_valid() and not self.group_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.group_errors)

    #: Service error keys that are not form fields but a group on the page.
    service_error_groups: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the field (or group) it names; a message
        without a field goes to the top of the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            if key in self.fields:
                self.add_error(key, errors)
            elif key in self.service_error_groups:
                for item in errors:
                    for message in item.messages:
                        self.add_group_error(self.service_error_groups[key], message)
            else:
                self.add_error(None, errors)


# A number as people write one: ASCII digits, an optional sign and one decimal comma or
# point. Python's Decimal() also takes "Infinity", "NaN", "1e999" and digits of other scripts,
# which no one means in a form and which break arithmetic and formatting further on.
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
PLAIN_NUMBER_MAX_LENGTH = 40  # far beyond any field's max_digits; keeps parsing cheap


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows ticked by id. Django asks for them with pk__in=[...], and the database
    refuses a number past its integer column (a 500), where a single choice (pk=...) simply
    finds nothing: a value that is not an id is an invalid choice before any query."""

    def _check_values(self, value):
        for pk in value:
            if id_from(pk) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


def plain_decimal(text: str) -> Decimal | None:
    """TEXT as a Decimal when it is a plain number (see PLAIN_NUMBER), otherwise None."""
    text = text.strip()
    if len(text) > PLAIN_NUMBER_MAX_LENGTH or not PLAIN_NUMBER.fullmatch(text):
        return None
    return Decimal(text.replace(",", "."))


class PlainDecimalField(forms.DecimalField):
    """A DecimalField that accepts plain numbers only (plain_decimal), after strip_text has
    removed what the field allows around them (units, thousand separators)."""

    def strip_text(self, text: str) -> str:
        return text

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value  # the validators still check it is finite and in range
        number = plain_decimal(self.strip_text(str(value)))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def run_validators(self, value):
        # Several validators may refuse one number with the same sentence (1000 % is both
        # above 100 and has too many digits); say it once.
        try:
            super().run_validators(value)
        except ValidationError as error:
            unique, seen = [], set()
            for item in error.error_list:
                text = " ".join(item.messages)
                if text not in seen:
                    seen.add(text)
                    unique.append(item)
            raise ValidationError(unique) from None


NOK_ERRORS = {
    "invalid": _("Skriv beløpet i hele kroner med sifre, for eksempel 1 250 000."),
    "min_value": _("Beløpet kan ikke være negativt."),
    "max_decimal_places": _("Skriv beløpet i hele kroner, uten øre."),
    "max_digits": _("Beløpet er for stort: skriv høyst %(max)s sifre."),
    "max_whole_digits": _("Beløpet er for stort: skriv høyst %(max)s sifre."),
}


class NokField(PlainDecimalField):
    """Whole kroner, zero or more; accepts what people type: spaces as thousand separators,
    'kr', 'NOK', 'DKK' (a Danish network)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs["error_messages"] = {**NOK_ERRORS, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def strip_text(self, text: str) -> str:
        text = text.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
        for unit in ("NOK", "nok", "DKK", "dkk", "kr", ",-", ".-"):
            text = text.replace(unit, "")
        return text


PERCENT_OUT_OF_RANGE = _("Skriv et tall mellom 0 og 100, for eksempel 33,33.")
PERCENT_ERRORS = {
    "invalid": PERCENT_OUT_OF_RANGE,
    "min_value": PERCENT_OUT_OF_RANGE,
    "max_value": PERCENT_OUT_OF_RANGE,
    "max_digits": PERCENT_OUT_OF_RANGE,
    "max_whole_digits": PERCENT_OUT_OF_RANGE,
    "max_decimal_places": _("Skriv høyst to desimaler, for eksempel 33,33."),
}


class PercentField(PlainDecimalField):
    """A share from 0 to 100 percent with at most two decimals; a comma works as the decimal
    mark, and a % sign may follow."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("100"))
        kwargs["error_messages"] = {**PERCENT_ERRORS, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def strip_text(self, text: str) -> str:
        return text.replace("%", "").replace(" ", "").replace("\u00a0", "")



class DocumentField(forms.FileField):
    """A file input that says which files it takes: the accept list and the help text are
    the upload check's own list (core.uploads), and the check runs on clean."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("allow_empty_file", False)
        kwargs["error_messages"] = {**FILE_ERRORS, **kwargs.get("error_messages", {})}
        kwargs.setdefault("help_text", accepted_types_help())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute())

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_upload(upload)
        return upload


FILE_ERRORS = {
    "invalid": _("Filen kunne ikke leses. Prøv å laste den opp på nytt."),
    "missing": _("Velg en fil å laste opp."),
    "empty": _("Filen er tom."),
    "max_length": _("Filnavnet er for langt (høyst %(max)d tegn)."),
    "contradiction": _("Velg enten en ny fil eller ingen."),
}


def add_service_error(form: forms.Form, error: ValidationError, *, default_field: str | None = None) -> None:
    """Put a service's ValidationError next to the field it names; a message without a
    field goes next to DEFAULT_FIELD when the form has it, otherwise to the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else default_field if default_field in form.fields else None, errors)
        return
    form.add_error(default_field if default_field in form.fields else None, error)


