"""A network's joining rounds and its paid work packages (seed 003, KOMBIT): a procurement
may be joined round by round, each by its own joining agreement (tilslutningsaftale) before
its deadline and at its price; and the work only a municipality can do (describing its
workflows for the requirement specification) is paid for as work packages one municipality
takes. Each round's and package's date is a derived Deadline (procurement.services.network)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 0}


class JoiningRound(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="joining_rounds")
    name = models.CharField(_("navn"), max_length=120)
    deadline = models.DateField(_("frist for tilslutning"))
    price = models.DecimalField(_("pris per kommune"), **MONEY)
    # Seed 003: a municipality may join the tender network without having joined the
    # requirement-specification network, at a higher price.
    late_price = models.DecimalField(_("pris uten tilslutning til en tidligere runde"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tilslutningsrunde")
        verbose_name_plural = _("tilslutningsrunder")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "name"], name="joining_round_unique_name"),
            models.CheckConstraint(condition=Q(price__gte=0) & (Q(late_price__isnull=True) | Q(late_price__gte=0)), name="joining_round_prices_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Joining(models.Model):
    """A municipality's signed joining agreement for one round."""

    round = models.ForeignKey(JoiningRound, on_delete=models.CASCADE, related_name="joinings")
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("dato for tilslutning"))
    agreement = models.CharField(_("referanse til tilslutningsavtalen"), max_length=200)
    # The price that applied when it joined: the round's, or its late price.
    price = models.DecimalField(_("pris"), **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tilslutning")
        verbose_name_plural = _("tilslutninger")
        ordering = ["joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "municipality"], name="joining_unique_municipality")]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.round}"


class WorkPackageState(models.TextChoices):
    OPEN = "open", _("Ledig")
    TAKEN = "taken", _("Tatt")
    DELIVERED = "delivered", _("Levert")


class WorkPackage(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="work_packages")
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    payment = models.DecimalField(_("betaling"), **MONEY)
    due_date = models.DateField(_("frist"))
    state = models.CharField(_("status"), max_length=10, choices=WorkPackageState.choices, default=WorkPackageState.OPEN)
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("kommune")
    )
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    taken_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("arbeidspakke")
        verbose_name_plural = _("arbeidspakker")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(payment__gte=0), name="work_package_payment_positive"),
            models.CheckConstraint(
                condition=Q(state=WorkPackageState.OPEN, municipality__isnull=True) | (~Q(state=WorkPackageState.OPEN) & Q(municipality__isnull=False)),
                name="work_package_taken_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.title
