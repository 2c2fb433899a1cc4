"""What an edit changed, in words for the audit log.

A service compares the row as it is stored with the row it is about to save and puts the
result in the entry: every changed field by name, and old → new for short values. Long
texts are only named (the log is no second copy of the content) and secrets never appear,
not even as a hash."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from .services import record_language

SHORT = 80  # characters; a longer value is named, not quoted


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str | None  # None: the value is not shown (long text or secret)
    new: str | None

    @property
    def shown(self) -> bool:
        return self.old is not None and self.new is not None

    def __str__(self) -> str:
        if not self.shown:
            return f"{self.label} endret"
        return f"{self.label}: {self.old} → {self.new}"


def _shown(instance: models.Model, field: models.Field, value) -> str | None:
    if isinstance(field, models.TextField):
        return None
    if value is None or value == "" or value == []:
        return "tom"
    if field.choices:
        return f"«{dict(field.flatchoices).get(value, value)}»"
    if isinstance(field, models.BooleanField):
        return "ja" if value else "nei"
    if isinstance(field, models.ForeignKey):
        return f"«{getattr(instance, field.name)}»"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}" if timezone.is_aware(value) else f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = ", ".join(str(item) for item in value) if isinstance(value, (list, tuple)) else str(value)
    return f"«{text}»" if len(text) <= SHORT else None


def field_changes(
    before: models.Model, after: models.Model, fields: Iterable[str], *, secret: Iterable[str] = ()
) -> list[FieldChange]:
    """The FIELDS whose stored value in BEFORE differs from AFTER, in bokmål. A SECRET field
    is named when it changed and its value never shown."""
    secret = set(secret)
    changes: list[FieldChange] = []
    with record_language():
        for name in fields:
            field = after._meta.get_field(name)
            old, new = field.value_from_object(before), field.value_from_object(after)
            if old == new:
                continue
            label = str(field.verbose_name)
            if name in secret:
                changes.append(FieldChange(name=name, label=label, old=None, new=None))
                continue
            shown_old, shown_new = _shown(before, field, old), _shown(after, field, new)
            if shown_old is None or shown_new is None:
                shown_old = shown_new = None
            changes.append(FieldChange(name=name, label=label, old=shown_old, new=shown_new))
    return changes


def changes_sentence(changes: list[FieldChange]) -> str:
    return "; ".join(str(change) for change in changes) if changes else "ingen felt endret"


def changes_data(changes: list[FieldChange]) -> dict:
    """For the entry's data: the names of the changed fields and the shown values."""
    return {
        "fields": [change.name for change in changes],
        "changes": {change.name: [change.old, change.new] for change in changes if change.shown},
    }


def editable_fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """The concrete fields a person edits (not the primary key, not automatic timestamps)."""
    exclude = set(exclude)
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.editable
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and field.name not in exclude
    ]
