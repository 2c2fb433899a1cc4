import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.printing import before_contract, dpa_render
from core.ids import id_from
from procurement.models import Procurement


class Command(BaseCommand):
    help = "Skriver databehandleravtalen for en anskaffelse til en PDF-fil."

    def add_arguments(self, parser):
        parser.add_argument("procurement_id", type=str)
        parser.add_argument("path", type=str)

    def handle(self, *args, procurement_id: str, path: str, **options):
        pk = id_from(procurement_id)
        if pk is None:
            raise CommandError(f"Ugyldig anskaffelses-id: {procurement_id!r} (skriv et tall).")
        procurement = Procurement.objects.select_related("collaboration").filter(pk=pk).first()
        if procurement is None:
            raise CommandError(f"Fant ingen anskaffelse med id {procurement_id}.")
        started = time.perf_counter()
        pdf = dpa_render(procurement, draft=before_contract(procurement))
        target = Path(path)
        try:
            target.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Kunne ikke skrive {path}: {error.strerror}.") from error
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Skrev {path} ({len(pdf)} byte, {elapsed:.2f} s).")
