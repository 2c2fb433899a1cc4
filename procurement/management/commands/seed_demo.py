"""`manage.py seed_demo`: the demo data (procurement.demo), safe to run on every start."""

from django.core.management.base import BaseCommand

from procurement.demo import seed_demo


class Command(BaseCommand):
    help = "Fyller databasen med demodata for samarbeidene i demoen. Kan kjøres flere ganger."

    def handle(self, *args, **options):
        seed_demo(write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demodata er på plass."))
