"""Who writes which part of the requirement specification, as one table (seed 000: the user
representatives describe the needs and choose the award criteria, K-IKT the architecture, the
archive network the archive, the data protection officer privacy, the regional buyer the
procedure and the other tender documents). Everyone else who sees the procurement reads and
comments. Information security and operations are K-IKT's (shared IT runs the systems); the
data protection officer shares information security, which protects the personal data."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipalities.roles import Role


class Category(models.TextChoices):
    FUNCTIONAL = "functional", _("Funksjonelle krav og brukerbehov")
    ARCHITECTURE = "architecture", _("Arkitektur og integrasjon")
    ARCHIVE = "archive", _("Arkiv")
    PRIVACY = "privacy", _("Personvern")
    SECURITY = "security", _("Informasjonssikkerhet")
    OPERATIONS = "operations", _("Drift og forvaltning")
    OTHER = "other", _("Øvrige krav")


CATEGORY_OWNERS: dict[str, frozenset[str]] = {
    Category.FUNCTIONAL: frozenset({Role.USER_REPRESENTATIVE}),
    Category.ARCHITECTURE: frozenset({Role.ICT_ARCHITECT}),
    Category.ARCHIVE: frozenset({Role.ARCHIVE_REPRESENTATIVE}),
    Category.PRIVACY: frozenset({Role.DATA_PROTECTION_OFFICER}),
    Category.SECURITY: frozenset({Role.ICT_ARCHITECT, Role.DATA_PROTECTION_OFFICER}),
    Category.OPERATIONS: frozenset({Role.ICT_ARCHITECT}),
    Category.OTHER: frozenset({Role.REGIONAL_BUYER}),
}

# The needs and user stories the requirements serve: the user representatives' part.
NEED_WRITERS = frozenset({Role.USER_REPRESENTATIVE})
# Award criteria: the user representatives propose, the regional buyer proposes too and decides.
CRITERION_PROPOSERS = frozenset({Role.USER_REPRESENTATIVE, Role.REGIONAL_BUYER})
CRITERION_DECIDERS = frozenset({Role.REGIONAL_BUYER})
# The tender documents' own text, the price model, the scale, qualification requirements and
# publishing: the regional buyer's.
TENDER_TEXT_WRITERS = frozenset({Role.REGIONAL_BUYER})
PUBLISHERS = frozenset({Role.REGIONAL_BUYER})
# Clarifications after publication go to every supplier from the regional buyer; the owner of
# a requirement's category may write one about that requirement.
CLARIFIERS = frozenset({Role.REGIONAL_BUYER})


def owns_category(roles: set[str], category: str) -> bool:
    return bool(CATEGORY_OWNERS.get(category, frozenset()) & roles)


def owned_categories(roles: set[str]) -> list[str]:
    return [category for category in Category.values if owns_category(roles, category)]


def owners_text(category: str) -> str:
    return ", ".join(sorted(str(Role(role).label).lower() for role in CATEGORY_OWNERS[category]))
