"""Which kinds of message a person can choose to have only in the app, and what a message's
kind falls under. An outbox row's kind is ``<prefix>:<detail>`` (``reminder:phase``,
``notification:phase_changed``, ``minutes:sent``); reminders are chosen per kind of deadline,
the rest per prefix, and a kind no choice names (another app's new message) goes by e-mail."""
from django.utils.translation import gettext_lazy as _

from .models import Channel

# (group, label) in the order the settings page lists them.
GROUPS = (
    ("reminder:invitation_answer", _("Påminnelser om svarfrister for invitasjoner")),
    ("reminder:phase", _("Påminnelser om fasefrister")),
    ("reminder:standstill", _("Påminnelser om karensperioden")),
    ("reminder:other", _("Påminnelser om andre frister (blant annet gevinstmålinger)")),
    ("reminder:minutes_due", _("Påminnelser om referater du skal skrive")),
    ("reminder:signoff_waiting", _("Signaturer som har ventet for lenge (til koordinatoren)")),
    ("notification", _("Varsler om beslutninger i anskaffelsene (ny fase, signaturer, klager)")),
    ("meeting", _("Møteinnkallinger, referater og rettelser")),
)
GROUP_CODES = frozenset(code for code, _label in GROUPS)
_MEETING_PREFIXES = frozenset({"meeting", "minutes"})


def group_of(kind: str) -> str:
    prefix = kind.partition(":")[0]
    if prefix == "reminder":
        return kind
    if prefix in _MEETING_PREFIXES:
        return "meeting"
    return prefix


def channel_for(kind: str, in_app_only) -> str:
    """How a message of KIND reaches someone who chose IN_APP_ONLY (group codes)."""
    return Channel.IN_APP if group_of(kind) in set(in_app_only or ()) else Channel.EMAIL
