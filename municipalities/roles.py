"""The roles a person can hold and the bodies of a region, with the object permissions
each role grants. This table is the single place that says what a role may do."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Koordinator")
    SUKSIT_MEMBER = "suksit_member", _("SuksIT-medlem")
    CHIEF_EXECUTIVE = "chief_executive", _("Kommunedirektør")
    REGIONAL_BUYER = "regional_buyer", _("Regional innkjøper")
    USER_REPRESENTATIVE = "user_representative", _("Brukerrepresentant")
    KIKT_ARCHITECT = "kikt_architect", _("K-IKT-arkitekt")
    ARCHIVE_REPRESENTATIVE = "archive_representative", _("Arkivrepresentant")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Personvernombud")
    UNION_REPRESENTATIVE = "union_representative", _("Tillitsvalgt")
    EVALUATOR = "evaluator", _("Evaluator")


class BodyKind(models.TextChoices):
    SUKSIT = "suksit", _("SuksIT (IT-styringsgruppe)")
    RMU = "rmu", _("Rådmannsutvalget (RMU)")
    KIKT = "kikt", _("K-IKT (felles IKT-drift)")
    ARCHIVE_NETWORK = "archive_network", _("Arkivnettverket")
    DATA_PROTECTION = "data_protection", _("Personvernombud")
    REGIONAL_BUYER = "regional_buyer", _("Regional innkjøper")


def act_as_codename(role: str) -> str:
    """Object permission that says 'this person holds ROLE for this municipality/body'."""
    return f"act_as_{role}"


ACT_AS_PERMISSIONS = [
    (act_as_codename(value), f"Act as {value.replace('_', ' ')}") for value in Role.values
]

# Roles that run procurements for the whole region (region-level permission).
REGION_COORDINATING_ROLES = frozenset({Role.COORDINATOR, Role.REGIONAL_BUYER})
# Roles that may report a need and answer an invitation for their own municipality.
REPORTING_ROLES = frozenset({Role.SUKSIT_MEMBER})
ANSWERING_ROLES = frozenset({Role.SUKSIT_MEMBER, Role.CHIEF_EXECUTIVE})
# Roles that write deliverables in a procurement their municipality or body takes part in.
CONTRIBUTING_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.REGIONAL_BUYER,
        Role.SUKSIT_MEMBER,
        Role.USER_REPRESENTATIVE,
        Role.KIKT_ARCHITECT,
        Role.ARCHIVE_REPRESENTATIVE,
        Role.DATA_PROTECTION_OFFICER,
    }
)
