"""`manage.py benefit_plan_pdf <procurement-id> <path.pdf> [--municipality <organisation-number>]`:
the benefit plan of a procurement as PDF, whole or for one participating municipality."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.actions import Action
from audit.services import audit_record
from municipalities.models import Municipality
from procurement.models import ParticipationStatus, Procurement

from ...printing import plan_pdf


class Command(BaseCommand):
    help = "Skriver gevinstrealiseringsplanen for en anskaffelse som PDF."

    def add_arguments(self, parser):
        parser.add_argument("procurement_id", type=int)
        parser.add_argument("path")
        parser.add_argument("--municipality", help="Organisasjonsnummeret til en kommune som deltar: bare dens rader.")

    def handle(self, *args, procurement_id, path, municipality=None, **options):
        procurement = Procurement.objects.select_related("collaboration").filter(pk=procurement_id).first()
        if procurement is None:
            raise CommandError(f"Fant ingen anskaffelse med id {procurement_id}.")
        chosen = None
        if municipality:
            number = municipality.replace(" ", "")
            chosen = Municipality.objects.filter(organisation_number=number).first()
            if chosen is None or not procurement.participations.filter(municipality=chosen, status=ParticipationStatus.JOINED).exists():
                raise CommandError(f"Kommunen med organisasjonsnummer {number} deltar ikke i «{procurement.title}».")
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"Mappen {target.parent} finnes ikke.")
        pdf = plan_pdf(procurement=procurement, municipality=chosen)
        target.write_bytes(pdf)
        with transaction.atomic():
            audit_record(
                actor=None,
                action=Action.PRINT_BENEFIT_PLAN,
                procurement=procurement,
                municipality=chosen,
                message=f"Gevinstrealiseringsplanen skrevet ut som PDF fra kommandolinjen{f' for {chosen}' if chosen else ''}.",
                data={"municipality": chosen.pk if chosen else None, "bytes": len(pdf)},
            )
        self.stdout.write(f"Skrev {target} ({len(pdf)} byte).")
