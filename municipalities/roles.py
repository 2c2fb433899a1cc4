"""The roles a person can hold, with the object permissions each role grants. This table is
the single place that says what a role may do. Roles are code; the bodies a role is held
in, and what each collaboration calls them, are data (municipalities.models.Body)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Koordinator")
    MUNICIPAL_REPRESENTATIVE = "municipal_representative", _("Kommunerepresentant")
    CHIEF_EXECUTIVE = "chief_executive", _("Kommunedirektør")
    REGIONAL_BUYER = "regional_buyer", _("Regional innkjøper")
    USER_REPRESENTATIVE = "user_representative", _("Brukerrepresentant")
    ICT_ARCHITECT = "ict_architect", _("IKT-arkitekt")
    ARCHIVE_REPRESENTATIVE = "archive_representative", _("Arkivrepresentant")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Personvernombud")
    UNION_REPRESENTATIVE = "union_representative", _("Tillitsvalgt")
    EVALUATOR = "evaluator", _("Evaluator")
    # The collaboration's general manager (daglig leder), held in one of its bodies: follows
    # every procurement and may sign the contract like the coordinator (seed 000), but runs
    # no gate and writes no deliverable.
    GENERAL_MANAGER = "general_manager", _("Daglig leder")


# Role values renamed when the collaborations came; a data migration moved the rows.
RENAMED_ROLES = {"municipal_representative": Role.MUNICIPAL_REPRESENTATIVE.value, "ict_architect": Role.ICT_ARCHITECT.value}


def act_as_codename(role: str) -> str:
    """Object permission that says 'this person holds ROLE for this municipality/body'."""
    return f"act_as_{role}"


ACT_AS_PERMISSIONS = [
    (act_as_codename(value), f"Act as {value.replace('_', ' ')}") for value in Role.values
]

# Roles that run a collaboration's procurements (held in one of its bodies).
COORDINATING_ROLES = frozenset({Role.COORDINATOR, Role.REGIONAL_BUYER})
# Roles that sign the contract for the collaboration, held in one of its bodies (seed 000:
# "the SuksIT coordinator or the collaboration's general manager").
CONTRACT_SIGNING_ROLES = frozenset({Role.COORDINATOR, Role.GENERAL_MANAGER})
# Roles that may report a need and answer an invitation for their own municipality.
REPORTING_ROLES = frozenset({Role.MUNICIPAL_REPRESENTATIVE})
ANSWERING_ROLES = frozenset({Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE})
# Roles that write deliverables in a procurement their municipality or body takes part in.
CONTRIBUTING_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.REGIONAL_BUYER,
        Role.MUNICIPAL_REPRESENTATIVE,
        Role.USER_REPRESENTATIVE,
        Role.ICT_ARCHITECT,
        Role.ARCHIVE_REPRESENTATIVE,
        Role.DATA_PROTECTION_OFFICER,
    }
)
