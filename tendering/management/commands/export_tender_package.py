"""python manage.py export_tender_package <procurement-id> <path.zip>: the tender package a
regional buyer downloads, written to a file (exit 0); an unknown id or a procurement without
tender documents is a clear error (exit 1)."""
from django.core.management.base import BaseCommand, CommandError

from procurement.models import Procurement
from tendering.export import NoTenderDocuments
from tendering.packages import tender_package_export_to


class Command(BaseCommand):
    help = "Skriver konkurransepakken (ZIP) for en anskaffelse til en fil."

    def add_arguments(self, parser):
        parser.add_argument("procurement_id", type=int)
        parser.add_argument("path")

    def handle(self, *args, procurement_id: int, path: str, **options):
        try:
            sha256, size, files = tender_package_export_to(procurement_id=procurement_id, path=path)
        except Procurement.DoesNotExist:
            raise CommandError(f"Fant ingen anskaffelse med id {procurement_id}.") from None
        except NoTenderDocuments:
            raise CommandError(
                f"Anskaffelse {procurement_id} har ikke kommet til konkurransegrunnlaget, så det finnes ingen konkurransepakke."
            ) from None
        except OSError as error:
            raise CommandError(f"Kunne ikke skrive {path}: {error.strerror}") from None
        self.stdout.write(f"{path}: {files} filer, {size} byte, SHA-256 {sha256}")
