"""The procurement page and its full history. The selector reads everything in a fixed number
of queries; this module only arranges it for the template (which forms go where, which
slots this person may sign) and never writes."""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from agreements.selectors import agreement_section
from audit.selectors import audit_entries_for_procurement
from comments.selectors import restricting_document
from comments.threads import threads_attach
from contracts.forms import award_section_forms
from contracts.selectors import award_section
from core.htmx import is_htmx
from core.permissions import object_permissions_read_once
from evaluation.access import evaluation_access
from municipalities.roles import ANSWERING_ROLES, Role

from .. import phases
from ..forms.deadlines import DeadlineForm
from ..forms.deliverables import DeliverableForm
from ..forms.signoffs import SignOffForm
from ..forms.transitions import CancelForm, ReopenForm
from ..models import (
    DeliverableVersion,
    ParticipationStatus,
    PhaseChangeKind,
    Procurement,
    SignOff,
)
from ..next_action import Holdings, next_action
from ..page_cache import cached_html, case_page_key
from ..readiness import GateStatus, SlotStatus, StepStatus, completion_warnings
from ..recipients import coordinators
from ..selectors.access import procurements_visible, slot_signable
from ..selectors.detail import HISTORY_ON_PAGE
from ..selectors.detail import procurement_detail as procurement_detail_select
from ..verdicts import verdict_of
from .paging import pagination

HISTORY_PER_PAGE = 50


def visible_procurement_or_404(user, procurement_id: int) -> Procurement:
    """The procurement if USER may see it; 404 otherwise, so its existence is not revealed."""
    try:
        return (
            procurements_visible(user=user)
            .select_related("collaboration", "lead_municipality", "reported_by")
            .get(pk=procurement_id)
        )
    except Procurement.DoesNotExist:
        raise Http404 from None


def slot_form_id(step_id: int, slot: str) -> str:
    return f"sign-{step_id}-{slot.replace(':', '')}"


def signoff_form_for(step_id: int, slot: str, *, data=None, initial=None) -> SignOffForm:
    return SignOffForm(data=data, initial=initial, auto_id=f"id_{slot_form_id(step_id, slot)}_%s")


@dataclass
class DeliverableRow:
    definition: object
    deliverable: object
    versions: list[DeliverableVersion]
    current: DeliverableVersion | None
    form: DeliverableForm | None = None
    can_open: bool = True  # a restricted document is listed to others without a link, name or size
    delivered: bool = False
    thread: object = None  # comments.threads.Thread, or None where this person may not read it

    @property
    def access_roles_text(self) -> str:
        return ", ".join(str(Role(role).label).lower() for role in self.definition.access_roles if role in Role.values)

    @property
    def anchor(self) -> str:
        return f"leveranse-{self.definition.code}"


@dataclass
class SlotRow:
    status: SlotStatus
    form_id: str
    form: SignOffForm | None = None

    @property
    def signoff(self):
        return self.status.signoff

    @property
    def role_label(self) -> str:
        return Role(self.status.signoff.role).label if self.status.signoff else ""


@dataclass
class StepRow:
    status: StepStatus
    slots: list[SlotRow]


@dataclass
class GateRow:
    status: GateStatus
    version: DeliverableVersion | None
    steps: list[StepRow]
    voided: list[SignOff] = field(default_factory=list)
    thread: object = None  # comments.threads.Thread

    @property
    def anchor(self) -> str:
        return f"port-{self.status.gate.code}"


def _deliverable_rows(
    items, *, can_contribute, with_forms: bool, bound: DeliverableForm | None, roles: set[str], voids: dict | None = None
) -> list[DeliverableRow]:
    """CAN_CONTRIBUTE tells, per definition, whether this person may add a version; VOIDS
    maps a gate's document to the live signatures a new version of it would void."""
    voids = voids or {}
    rows = []
    for definition, deliverable in items:
        versions = list(deliverable.versions.all()) if deliverable is not None else []
        current = None
        if deliverable is not None and deliverable.current_version_id is not None:
            current = next((v for v in versions if v.pk == deliverable.current_version_id), None)
        can_open = definition.open_to(roles)
        form = None
        if with_forms and can_contribute(definition):
            form = (
                bound
                if bound is not None and bound.definition.pk == definition.pk
                else DeliverableForm(definition=definition, voids=voids.get(definition.pk, ()))
            )
        rows.append(
            DeliverableRow(
                definition,
                deliverable,
                versions if can_open else [],
                current if can_open else None,
                form,
                can_open,
                delivered=current is not None,
            )
        )
    return rows


def _gate_rows(
    readiness, rights, voided: list[SignOff], versions: dict[int, DeliverableVersion], bound: SignOffForm | None, bound_key
) -> tuple[list[GateRow], list[SignOff]]:
    voided_by_gate: dict[int, list[SignOff]] = defaultdict(list)
    for signoff in voided:
        signoff.role_label = Role(signoff.role).label if signoff.role in Role.values else signoff.role
        voided_by_gate[signoff.step.gate_id].append(signoff)
    gates = []
    for gate in readiness.signature_gates:
        version = None
        if gate.document is not None:
            # The prefetched copy carries its uploader; readiness' copy does not.
            version = versions.get(gate.document.current_version_id, gate.document.current_version)
        steps = []
        for step in gate.steps:
            slots = []
            for slot in step.slots:
                row = SlotRow(status=slot, form_id=slot_form_id(step.step.pk, slot.slot))
                if (
                    version is not None
                    and step.is_open
                    and slot.signoff is None
                    and slot_signable(rights, step, slot)
                ):
                    if bound is not None and bound_key == (step.step.pk, slot.slot):
                        row.form = bound
                    else:
                        row.form = signoff_form_for(
                            step.step.pk, slot.slot, initial={"slot": slot.slot, "document_sha256": version.sha256}
                        )
                slots.append(row)
            steps.append(StepRow(status=step, slots=slots))
        gates.append(GateRow(status=gate, version=version, steps=steps, voided=voided_by_gate.pop(gate.gate.pk, [])))
    earlier = [signoff for signoffs in voided_by_gate.values() for signoff in signoffs]
    return gates, earlier


def _thread_readable(definition, roles: set[str]) -> bool:
    # Whoever sees the page sees the case; a restricted document's thread needs its roles.
    document = restricting_document(definition)
    return document is None or document.open_to(roles)


def _mark_cancelled_phase(timeline, changes) -> None:
    """A cancelled procurement has no current phase; its phase change says which phase it
    was cancelled in, so the timeline can show the phases done before it."""
    change = next((c for c in reversed(changes) if c.kind == PhaseChangeKind.CANCEL), None)
    phase = change.from_state if change is not None else None
    if phase not in phases.PHASES:
        return
    stopped_at = phases.PHASES.index(phase)
    for view in timeline:
        position = phases.PHASES.index(view.definition.code)
        view.status = "done" if position < stopped_at else "cancelled" if position == stopped_at else "upcoming"


def detail_context(
    request,
    procurement_id: int,
    *,
    deliverable_form: DeliverableForm | None = None,
    signoff_form: SignOffForm | None = None,
    signoff_key: tuple[int, str] | None = None,
    cancel_form: CancelForm | None = None,
    reopen_form: ReopenForm | None = None,
    deadline_form: DeadlineForm | None = None,
    award_form=None,  # one of contracts.forms.AWARD_FORMS
    comment_form=None,
    comment_key: tuple[str, str] | None = None,
) -> dict:
    """Everything the page and its partials need. Raises Http404 when the user may not see
    the procurement. Bound forms passed in replace the empty ones, errors and all."""
    try:
        context = procurement_detail_select(user=request.user, procurement_id=procurement_id)
    except Procurement.DoesNotExist:
        raise Http404 from None
    procurement = context["procurement"]
    can_contribute = context["can_contribute"] and procurement.is_open

    if procurement.state == phases.CANCELLED:
        _mark_cancelled_phase(context["timeline"], context["phase_changes"])
    current_view = None
    earlier_views = []
    for view in context["timeline"]:
        if view.status == "current":
            current_view = view
        elif view.status in ("done", "cancelled"):
            earlier_views.append(view)
    roles = context["roles"]
    readiness = context["readiness"]
    gate_documents = {gate.gate.document_id for gate in readiness.signature_gates}
    document_roles = {
        gate.gate.document_id: set(gate.gate.document_roles) for gate in readiness.signature_gates
    }

    def may_deliver(definition) -> bool:
        # The same rule as the service: a gate's document only by those who run the case or
        # the roles the gate names, since a new version voids its signatures.
        if not can_contribute:
            return False
        if definition.pk in gate_documents:
            return context["can_manage"] or bool(document_roles[definition.pk] & roles)
        return True

    # The live signatures on each gate document of the phase, from the judgement already
    # loaded: the upload form says before saving whose signatures a new version voids.
    voids: dict[int, list[SignOff]] = defaultdict(list)
    for gate in readiness.signature_gates:
        for step in gate.steps:
            for slot in step.slots:
                if slot.signoff is not None and gate.gate.document_id is not None:
                    voids[gate.gate.document_id].append(slot.signoff)
    current_deliverables = (
        _deliverable_rows(
            current_view.deliverables,
            can_contribute=may_deliver,
            with_forms=True,
            bound=deliverable_form,
            roles=roles,
            voids=voids,
        )
        if current_view is not None
        else []
    )
    earlier_phases = [
        (view, _deliverable_rows(view.deliverables, can_contribute=may_deliver, with_forms=False, bound=None, roles=roles))
        for view in earlier_views
    ]
    checklist = list(current_view.definition.checklist_items.all()) if current_view is not None else []

    versions = {
        version.pk: version
        for view in context["timeline"]
        for _definition, deliverable in view.deliverables
        if deliverable is not None
        for version in deliverable.versions.all()
    }
    gates, earlier_voided = _gate_rows(
        context["readiness"], context["signing_rights"], context["voided_signoffs"], versions, signoff_form, signoff_key
    )

    threads_attach(
        procurement=procurement,
        deliverable_rows=[*current_deliverables, *(row for _view, rows in earlier_phases for row in rows)],
        gate_rows=gates,
        readable=lambda definition: _thread_readable(definition, roles),
        writable=procurement.is_open,
        bound=comment_form,
        bound_key=comment_key,
    )

    participations = context["participations"]
    joined = [p for p in participations if p.status == ParticipationStatus.JOINED]
    shares = [p.cost_share for p in joined if p.cost_share is not None]
    rights = context["signing_rights"]
    answerable = {
        obj_id for role, kind, obj_id in rights if kind == "m" and role in ANSWERING_ROLES
    } if procurement.state == phases.INTAKE else set()

    transitions = context["transitions"]
    needs_reason = any(t.custom.get("needs_reason") for t in transitions)
    can_reopen = any(t.name == "reopen" for t in transitions)
    bound_forms = [
        f
        for f in (deliverable_form, signoff_form, cancel_form, reopen_form, deadline_form, award_form, comment_form)
        if f is not None and f.errors
    ]
    can_edit_deadlines = context["can_manage"] and procurement.is_open
    # Who moves the case on, named for those who cannot (one query, only then).
    moved_on_by = (
        [p.get_full_name() or p.username for p in coordinators(procurement).order_by("last_name", "first_name")]
        if procurement.is_open and not transitions and not context["can_manage"]
        else []
    )
    # Overdue by the region's calendar, not the server's.
    today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
    for deadline in context["deadlines"]:
        deadline.overdue = deadline.done_at is None and deadline.due_date < today
        deadline.removable = can_edit_deadlines and deadline.done_at is None and not deadline.derived

    context.update(
        {
            "current_phase_view": current_view,
            "current_deliverables": current_deliverables,
            "earlier_phases": earlier_phases,
            "checklist": checklist,
            "can_check": can_contribute,
            "gates": gates,
            "earlier_voided": earlier_voided,
            "joined_count": len(joined),
            "share_total": sum(shares, Decimal("0")) if shares else None,
            "answerable_municipalities": answerable,
            "cancel_form": (cancel_form or CancelForm(auto_id="id_cancel_%s")) if needs_reason else None,
            "reopen_form": (
                reopen_form
                or ReopenForm(
                    procurement=procurement,
                    initial=ReopenForm.initial_from(request.GET, procurement),
                    phase_labels={view.definition.code: view.definition.label for view in context["timeline"]},
                )
            )
            if can_reopen
            else None,
            "condition_gates": readiness.condition_gates,
            # Said next to "Fullfør fasen", and asked about on the confirmation page.
            # The one step this person can take now, first and large on the page (the same
            # judgement as the dashboard's row, from what is loaded already).
            "primary_action": next_action(
                procurement,
                verdict_of(readiness),
                Holdings(
                    rights=context["signing_rights"],
                    manages={procurement.pk} if context["can_manage"] else set(),
                    contributes={procurement.pk} if can_contribute else set(),
                ),
            ),
            "completion_warnings": completion_warnings(readiness) if context["can_manage"] and procurement.is_open else [],
            "can_edit_deadlines": can_edit_deadlines,
            "moved_on_by": moved_on_by,
            "deadline_form": (deadline_form or DeadlineForm(procurement=procurement)) if can_edit_deadlines else None,
            "award": award_section_forms(
                award_section(user=request.user, procurement=procurement, now=readiness.snapshot.now), bound=award_form
            ),
            "agreements": agreement_section(user=request.user, procurement=procurement, now=readiness.snapshot.now),
            # A callable: the template calls it only where it draws the link (the whole page,
            # not the htmx sections), so the partials ask nothing more.
            "sees_evaluation": lambda: procurement.state in EVALUATION_REACHED
            and evaluation_access(user=request.user, procurement=procurement).sees_page,
            "history_preview": context["history"][:HISTORY_ON_PAGE],
            "history_has_more": len(context["history"]) > HISTORY_ON_PAGE,
            "phase_count": len(phases.PHASES),
            "error_form": bound_forms[0] if bound_forms else None,
            "is_htmx": is_htmx(request),
        }
    )
    return context


# The states in which the procurement has tenders to evaluate or has evaluated them.
EVALUATION_REACHED = frozenset({phases.EVALUATION, phases.CONTRACT, phases.ACCEPTANCE_TEST, phases.CONTRACT_MANAGEMENT, phases.CLOSED})


def render_detail(request, procurement_id: int, *, status: int = 200, **forms):
    """The procurement page; with FORMS (bound, with their errors) after a refused change.
    Drawing only: whatever a form changed was saved (or refused) before this. The page as
    it stands, with no form of the person's own in it, is kept (procurement.page_cache)."""
    with object_permissions_read_once(request.user):
        if forms or status != 200:
            context = detail_context(request, procurement_id, **forms)
            procurement, error_form = context["procurement"], context["error_form"]
            content = render_to_string("procurement/_detail_page.html", context, request=request)
        else:
            procurement, error_form = visible_procurement_or_404(request.user, procurement_id), None
            # An htmx request draws this request's messages into the content: never kept.
            key = None if is_htmx(request) else case_page_key(request, "procurement", procurement)
            content = cached_html(
                key,
                lambda: render_to_string("procurement/_detail_page.html", detail_context(request, procurement_id), request=request),
            )
        frame = {"procurement": procurement, "error_form": error_form, "content": content}
        return render(request, "procurement/procurement_detail.html", frame, status=status)


@login_required
@require_GET
def procurement_detail(request, procurement_id: int):
    return render_detail(request, procurement_id)


@login_required
@require_GET
def procurement_history(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)

    def draw() -> str:
        paginator = Paginator(audit_entries_for_procurement(procurement=procurement), HISTORY_PER_PAGE)
        page = paginator.get_page(request.GET.get("side"))
        return render_to_string(
            "procurement/_history_page.html",
            {"procurement": procurement, "page": page, "pagination": pagination(request, page)},
            request=request,
        )

    content = cached_html(case_page_key(request, "history", procurement), draw)
    return render(request, "procurement/procurement_history.html", {"procurement": procurement, "content": content})
