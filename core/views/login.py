"""The login page. Locally (settings.SHOW_DEMO_LOGINS) it lists the demo accounts with
their roles and the shared demo password, grouped by collaboration, so a tester can try each
role; production never shows them."""
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipalities.models import Collaboration, Membership, Person, RoleAssignment


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

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # django-axes flags the request when this failure (or an earlier run of them) locks
            # the username or the address; then "wrong password" would be misleading.
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


def lockout_message() -> str:
    minutes = max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)
    return ngettext(
        "Innloggingen er sperret fordi det har vært for mange mislykkede forsøk med dette brukernavnet "
        "eller fra denne nettverksadressen. Vent %(minutes)d minutt og prøv igjen. Har du glemt passordet, "
        "kontakt koordinatoren i samarbeidet ditt.",
        "Innloggingen er sperret fordi det har vært for mange mislykkede forsøk med dette brukernavnet "
        "eller fra denne nettverksadressen. Vent %(minutes)d minutter og prøv igjen. Har du glemt passordet, "
        "kontakt koordinatoren i samarbeidet ditt.",
        minutes,
    ) % {"minutes": minutes}


@dataclass
class DemoAccount:
    person: Person
    roles: list[tuple[str, str]]  # (role, where)


@dataclass
class DemoGroup:
    """The demo accounts of one collaboration, of the administrators, or of roles in no collaboration."""

    title: str
    anchor: str
    country: str
    accounts: list[DemoAccount] = field(default_factory=list)


def demo_account_groups() -> list[DemoGroup]:
    """Every active person with a role and every active superuser, grouped by the
    collaboration each role is held in, so a tester finds the Danish network's accounts
    without reading Kongsbergregionen's. A role in a body belongs to the body's
    collaboration; a role for a municipality alone to every collaboration the municipality
    is (or was) a member of. Administrators come first, then the collaborations in the order
    they were set up (the demo's main collaboration first). Three queries."""
    people = (
        Person.objects.filter(is_active=True)
        .filter(Q(role_assignments__isnull=False) | Q(is_superuser=True))
        .distinct()
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("municipality", "body__collaboration").order_by("role"),
            )
        )
        .order_by("-is_superuser", "username")
    )
    collaborations_of: dict[int, dict[int, Collaboration]] = defaultdict(dict)  # municipality id ->
    for membership in Membership.objects.select_related("collaboration"):
        collaborations_of[membership.municipality_id][membership.collaboration_id] = membership.collaboration
    admins = DemoGroup(title=str(_("Administrasjon")), anchor="demo-administrasjon", country="")
    # Roles for a municipality that is in no collaboration (yet).
    others = DemoGroup(title=str(_("Uten samarbeid")), anchor="demo-uten-samarbeid", country="")
    groups: dict[int, DemoGroup] = {}
    for person in people:
        if person.is_superuser:
            admins.accounts.append(DemoAccount(person=person, roles=[(str(_("Administrator")), "")]))
        roles_in: dict[int | None, list[tuple[str, str]]] = defaultdict(list)  # collaboration id ->
        for a in person.role_assignments.all():
            role = (a.get_role_display(), ", ".join(str(x) for x in (a.municipality, a.body) if x is not None))
            collaborations = [a.body.collaboration] if a.body_id else list(collaborations_of[a.municipality_id].values())
            for collaboration in collaborations:
                if collaboration.pk not in groups:
                    groups[collaboration.pk] = DemoGroup(
                        title=collaboration.name, anchor=f"demo-{collaboration.pk}", country=collaboration.get_country_display()
                    )
                roles_in[collaboration.pk].append(role)
            if not collaborations:
                roles_in[None].append(role)
        for pk, roles in roles_in.items():
            (others if pk is None else groups[pk]).accounts.append(DemoAccount(person=person, roles=roles))
    return [group for group in (admins, *(groups[pk] for pk in sorted(groups)), others) if group.accounts]


class DemoLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = BokmalAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_demo_logins"] = settings.SHOW_DEMO_LOGINS
        if settings.SHOW_DEMO_LOGINS:
            context["demo_groups"] = demo_account_groups()
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) for a request it has locked out. The
    login page already shows why (BokmalAuthenticationForm); any other login form, such as the
    admin's, is answered with the login page and the same message instead of axes' English
    text. 429 either way, so monitoring can tell lockouts from wrong passwords. A signing form
    whose step-up password locked the account (core.stepup) already says so at its password
    field: its page is kept as it is, so the signer stays where they were."""
    if getattr(request, "step_up_locked_out", False) and original_response is not None:
        return original_response
    form = getattr(original_response, "context_data", None) and original_response.context_data.get("form")
    if isinstance(form, BokmalAuthenticationForm) and form.has_error(NON_FIELD_ERRORS, code="locked_out"):
        original_response.status_code = 429
        return original_response
    view = DemoLoginView()
    view.setup(request)
    form = BokmalAuthenticationForm(request)
    context = view.get_context_data(form=form, lockout_message=lockout_message())
    return render(request, view.template_name, context, status=429)
