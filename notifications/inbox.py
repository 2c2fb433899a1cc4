"""The list of messages in the app. Every outbox row is one entry in its recipient's list,
whether it also went by e-mail or, by the person's choice, only here; reading one marks it
read. What the person chose (the language of their e-mails, the kinds they want only here)
is saved here too."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, record_language

from .channels import GROUP_CODES, GROUPS
from .models import Language, NotificationSettings, Outbox


def inbox_rows(user):
    return (
        Outbox.objects.filter(recipient=user)
        .select_related("procurement")
        .only("pk", "kind", "subject", "body", "created_at", "read_at", "channel", "sent_at", "procurement__title")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Outbox.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_mark_read(*, user, ids=None) -> int:
    """Marks USER's messages IDS (all of them when None) read; others' ids are ignored."""
    rows = Outbox.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def notification_settings_of(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(person=user).first()
    return found or NotificationSettings(person=user)


@transaction.atomic
def notification_settings_save(*, user, language: str, in_app_only) -> NotificationSettings:
    if language not in Language.values:
        raise ValidationError({"language": gettext("Velg bokmål eller engelsk.")})
    chosen = sorted(set(in_app_only))
    unknown = [code for code in chosen if code not in GROUP_CODES]
    if unknown:
        raise ValidationError({"in_app_only": gettext("Siden er utdatert: last den på nytt og velg igjen.")})
    current, _created = NotificationSettings.objects.select_for_update().get_or_create(person=user)
    current.language, current.in_app_only = language, chosen
    current.save()
    with record_language():
        labels = {code: str(label).lower() for code, label in GROUPS}
        language_label = str(Language(language).label).lower()
    audit_record(
        actor=user,
        action=Action.NOTIFICATION_SETTINGS_SAVED,
        message=(
            f"{user} valgte e-post på {language_label}"
            + (f", og bare i løsningen: {', '.join(labels[c] for c in chosen)}." if chosen else ", og alt på e-post.")
        ),
        data={"language": language, "in_app_only": chosen},
    )
    return current


def languages_of(person_ids) -> dict[int, str]:
    """The e-mail language of each of PERSON_IDS (bokmål unless they chose otherwise), in
    one query, so a sweep asks once for all its recipients."""
    ids = set(person_ids)
    chosen = dict(
        NotificationSettings.objects.filter(person_id__in=ids).exclude(language=Language.BOKMAAL).values_list("person_id", "language")
    )
    return {person_id: chosen.get(person_id, Language.BOKMAAL) for person_id in ids}


class InTheirLanguage:
    """Writes each message once per language its recipients read. ``text(person, key, render)``
    runs RENDER (no arguments, returns (subject, body)) under the person's language the first
    time KEY is asked for in that language, and hands out the same text after that."""

    def __init__(self, person_ids):
        self.languages = languages_of(person_ids)
        self._texts: dict = {}

    def text(self, person_id: int, key, render) -> tuple[str, str]:
        language = self.languages.get(person_id, Language.BOKMAAL)
        if (key, language) not in self._texts:
            with translation.override(language):
                self._texts[key, language] = render()
        return self._texts[key, language]
