"""The login page. Locally (settings.SHOW_DEMO_LOGINS) it lists the demo accounts with
their roles and the shared demo password, so a tester can try each role; production
never shows them."""
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Person, RoleAssignment


class BokmalAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Feil brukernavn eller passord. Sjekk at du har skrevet riktig, og prøv igjen."),
        "inactive": _("Kontoen er ikke aktiv. Kontakt koordinatoren i regionen."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Brukernavn")
        self.fields["username"].error_messages["required"] = _("Skriv brukernavnet ditt.")
        self.fields["password"].label = _("Passord")
        self.fields["password"].error_messages["required"] = _("Skriv passordet ditt.")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


@dataclass
class DemoAccount:
    person: Person
    roles: list[tuple[str, str]]  # (role, where)


def demo_accounts() -> list[DemoAccount]:
    """Every active person with a role, and every active superuser, in one query pair."""
    people = (
        Person.objects.filter(is_active=True)
        .filter(Q(role_assignments__isnull=False) | Q(is_superuser=True))
        .distinct()
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("municipality", "body").order_by("role"),
            )
        )
        .order_by("-is_superuser", "username")
    )
    accounts = []
    for person in people:
        roles = [
            (a.get_role_display(), ", ".join(str(x) for x in (a.municipality, a.body) if x is not None))
            for a in person.role_assignments.all()
        ]
        if person.is_superuser:
            roles.insert(0, (str(_("Administrator")), ""))
        accounts.append(DemoAccount(person=person, roles=roles))
    return accounts


class DemoLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = BokmalAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_demo_logins"] = settings.SHOW_DEMO_LOGINS
        if settings.SHOW_DEMO_LOGINS:
            context["demo_accounts"] = demo_accounts()
            context["demo_password"] = settings.DEMO_PASSWORD
        return context
