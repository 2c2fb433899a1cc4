"""Demo data `manage.py seed_demo` loads (and `make run` on every start): one module per
collaboration with its own data, and seeder.py with the mechanics they share.

- kongsbergregionen: the region's IT collaboration (SuksIT, RMU, K-IKT ...) and its
  procurements in intake, strategy, evaluation (gone back once) and contract;
- kombit: a Danish KOMBIT network with its own Danish process template and one procurement
  past the go/no-go decision;
- fosen: a Norwegian region without a committee of chief executives, where the regional
  council awards the contract;
- meetings: the project group's and SuksIT's meetings of Kongsbergregionen's archive
  procurement, with minutes in every state, and the collaborations' own meetings (SuksIT's
  steering group, the KOMBIT network in Danish);
- notification_choices: a coordinator who wants decisions only in the app, with calendar
  addresses, and a chief executive who reads e-mails in English.
"""

from collections.abc import Callable

from django.apps import apps as django_apps
from django.db import transaction

from ..catalogue_seed import national_template_ensure
from . import fosen, kombit, kongsbergregionen, meetings, notification_choices
from .seeder import DemoCollaboration, Logins, seed_collaboration

COLLABORATIONS: list[DemoCollaboration] = [kongsbergregionen.COLLABORATION, kombit.COLLABORATION, fosen.COLLABORATION]


def seed_demo(*, write: Callable[[str], None]) -> None:
    # The national template is installed after migrate; asked again in case a test database
    # was flushed. Never overwritten.
    with transaction.atomic():
        national_template_ensure(django_apps)
    logins = Logins()
    with transaction.atomic():
        admin = logins.ensure("admin", "Systemadministrator", "Demo", superuser=True)
    write("Systemadministrator: admin (passord fra DEMO_PASSWORD for alle demokontoer).")
    for spec in COLLABORATIONS:
        seeder = seed_collaboration(spec, admin=admin, logins=logins, write=write)
        if spec is kongsbergregionen.COLLABORATION:
            meetings.meetings_ensure(seeder, write=write)
            notification_choices.notification_choices_ensure(seeder, write=write)
        if spec in (kongsbergregionen.COLLABORATION, kombit.COLLABORATION):
            meetings.collaboration_meetings_ensure(seeder, write=write)
        if spec is kombit.COLLABORATION:
            kombit.network_ensure(seeder, write=write)
    # The reminders that have come due in the demo (a deadline within a week, overdue
    # minutes) are in the outbox from the start; the worker of `make run` sends them.
    from notifications.reminders import reminders_sweep

    write(f"Påminnelser registrert: {len(reminders_sweep())}.")
