"""The specification's screens under anskaffelser/<id>/konkurransegrunnlag/: the requirements by
category (each written by its owners, commented by the others), the award criteria with their
weights, the tender documents' own text, and the printed documents. Each POST validates a form,
calls one service and redirects; a form with errors shows its page again (400). A refusal is a
403 (the services audit it), something not in this procurement's specification a 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_error
from core.htmx import is_htmx_partial
from core.ids import id_from
from procurement.views.detail import visible_procurement_or_404

from . import documents, library_scope, packages, services
from .forms import (
    ClarificationForm,
    CommentForm,
    CriterionForm,
    LibrarySearchForm,
    NeedForm,
    QualificationForm,
    RequirementForm,
    TenderTextForm,
    WeightsForm,
)
from .models import AwardCriterion, Requirement, TenderPackage
from .ownership import Category
from .selectors import LIBRARY_QUERY_MAX_LENGTH, library_search, specification_view


def _url(name: str, procurement_id: int, anchor: str = "", *args) -> str:
    return reverse(name, args=[procurement_id, *args]) + (f"#{anchor}" if anchor else "")


def _attempt(form, call, *, default_field: str | None = None) -> bool:
    """Validate FORM and CALL the service with its cleaned data; service errors go back to the
    form. True when it went through."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        if hasattr(form, "group_errors") and isinstance(form, WeightsForm):
            form.add_service_error(error)
        else:
            add_service_error(form, error, default_field=default_field)
        return False
    return True


# ----------------------------------------------------------------------------- requirements


def _specification_context(request, procurement, *, bound=None) -> dict:
    view = specification_view(user=request.user, procurement=procurement)
    spec = view.specification
    bound = bound or {}
    for section in view.categories:
        if section.can_write:
            section.form = bound.get(("requirement", section.code)) or RequirementForm(
                specification=spec, prefix_id=f"req_{section.code}"
            )
        if request.user.is_authenticated and procurement.is_open:
            section.comment_form = bound.get(("comment", section.code)) or CommentForm(
                form_id=f"comment_{section.code}", requirements=[row.requirement for row in section.rows]
            )
    error_form = next((form for form in bound.values() if form is not None and form.has_errors), None)
    return {
        "procurement": procurement,
        "view": view,
        "need_form": bound.get("need") or (NeedForm() if view.can_write_needs else None),
        "clarification_form": bound.get("clarification")
        or (ClarificationForm(specification=spec) if view.can_clarify else None),
        "error_form": error_form,
        "documents": documents.DOCUMENTS,
        "can_add_versions": documents.may_add_versions(user=request.user, procurement=procurement, roles=view.roles),
        "can_export": packages.may_export(user=request.user, procurement=procurement),
        "packages": list(procurement.tender_packages.all()[:3]),
    }


def _render_specification(request, procurement, *, status: int = 200, bound=None):
    return render(
        request, "tendering/specification_page.html", _specification_context(request, procurement, bound=bound), status=status
    )


@login_required
@require_GET
def specification_page(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    return _render_specification(request, procurement)


@login_required
@require_POST
def requirement_add(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    category = request.POST.get("category", "")
    if category not in Category.values:
        raise Http404
    view_spec = specification_view(user=request.user, procurement=procurement).specification
    form = RequirementForm(request.POST, specification=view_spec, prefix_id=f"req_{category}")

    def call(data):
        return services.requirement_add(user=request.user, procurement=procurement, category=category, **form.service_kwargs())

    if _attempt(form, call, default_field="text"):
        messages.success(request, _("Kravet er lagt til."))
        return redirect(_url("tendering_specification", procurement.pk, f"kategori-{category}"))
    return _render_specification(request, procurement, status=400, bound={("requirement", category): form})


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, procurement_id: int, requirement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    requirement = (
        Requirement.objects.select_related("specification", "need", "criterion")
        .filter(pk=requirement_id, specification__procurement=procurement)
        .first()
    )
    if requirement is None:
        raise Http404
    view = specification_view(user=request.user, procurement=procurement)
    can_edit = next(section.can_write for section in view.categories if section.code == requirement.category)
    if request.method == "POST":
        form = RequirementForm(request.POST, specification=requirement.specification, prefix_id="edit")

        def call(data):
            return services.requirement_change(
                user=request.user, procurement=procurement, requirement_id=requirement.pk, **form.service_kwargs()
            )

        try:
            done = _attempt(form, call, default_field="text")
        except Requirement.DoesNotExist:
            raise Http404 from None
        if done:
            messages.success(request, _("Kravet %(ref)s er endret.") % {"ref": requirement.ref})
            return redirect(_url("tendering_specification", procurement.pk, f"krav-{requirement.ref}"))
        status = 400
    else:
        form = RequirementForm(
            specification=requirement.specification,
            prefix_id="edit",
            initial={
                "kind": requirement.kind,
                "text": requirement.text,
                "need": requirement.need_id,
                "weight": requirement.weight,
                "criterion": requirement.criterion_id,
            },
        )
        status = 200
    return render(
        request,
        "tendering/requirement_edit.html",
        {"procurement": procurement, "requirement": requirement, "form": form, "can_edit": can_edit, "view": view},
        status=status,
    )


@login_required
@require_POST
def requirement_remove(request, procurement_id: int, requirement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    try:
        services.requirement_remove(user=request.user, procurement=procurement, requirement_id=requirement_id)
    except Requirement.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_url("tendering_specification", procurement.pk))
    messages.success(request, _("Kravet er tatt ut av kravspesifikasjonen."))
    return redirect(_url("tendering_specification", procurement.pk))


@login_required
@require_POST
def need_add(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    form = NeedForm(request.POST)
    if _attempt(form, lambda data: services.need_add(user=request.user, procurement=procurement, **data), default_field="title"):
        messages.success(request, _("Behovet er lagt til."))
        return redirect(_url("tendering_specification", procurement.pk, "behov"))
    return _render_specification(request, procurement, status=400, bound={"need": form})


@login_required
@require_POST
def comment_add(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    category = request.POST.get("category", "")
    if category not in Category.values:
        raise Http404
    view = specification_view(user=request.user, procurement=procurement)
    section = next(s for s in view.categories if s.code == category)
    form = CommentForm(request.POST, form_id=f"comment_{category}", requirements=[row.requirement for row in section.rows])

    def call(data):
        return services.comment_add(
            user=request.user, procurement=procurement, category=category, text=data["text"], requirement_id=data.get("requirement")
        )

    if _attempt(form, call, default_field="text"):
        messages.success(request, _("Kommentaren er lagt til."))
        return redirect(_url("tendering_specification", procurement.pk, section.anchor))
    return _render_specification(request, procurement, status=400, bound={("comment", category): form})


@login_required
@require_POST
def clarification_add(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    spec = specification_view(user=request.user, procurement=procurement).specification
    form = ClarificationForm(request.POST, specification=spec)

    def call(data):
        return services.clarification_add(
            user=request.user, procurement=procurement, text=data["text"], requirement_id=data.get("requirement")
        )

    if _attempt(form, call, default_field="text"):
        messages.success(request, _("Avklaringen er lagt til."))
        return redirect(_url("tendering_specification", procurement.pk, "avklaringer"))
    return _render_specification(request, procurement, status=400, bound={"clarification": form})


@login_required
@require_POST
def specification_publish(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    try:
        services.specification_publish(user=request.user, procurement=procurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Konkurransegrunnlaget er publisert, og kravspesifikasjonen er frosset."))
    return redirect(_url("tendering_specification", procurement.pk))


# ----------------------------------------------------------------------------- award criteria


def _render_criteria(request, procurement, *, status: int = 200, criterion_form=None, weights_form=None):
    view = specification_view(user=request.user, procurement=procurement)
    criteria = [c for row in view.criteria for c in (row.criterion, *row.children)]
    weights_form = weights_form or (WeightsForm(criteria=criteria) if view.can_propose and criteria else None)
    criterion_form = criterion_form or (CriterionForm(specification=view.specification) if view.can_propose else None)
    error_form = next((f for f in (criterion_form, weights_form) if f is not None and f.has_errors), None)
    return render(
        request,
        "tendering/criteria_page.html",
        {
            "procurement": procurement,
            "view": view,
            "weights_form": weights_form,
            "criterion_form": criterion_form,
            "error_form": error_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_page(request, procurement_id: int):
    """GET: the criteria and the weights editor. POST: every weight at once."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if request.method == "GET":
        return _render_criteria(request, procurement)
    view = specification_view(user=request.user, procurement=procurement)
    criteria = [c for row in view.criteria for c in (row.criterion, *row.children)]
    form = WeightsForm(request.POST, criteria=criteria)
    if _attempt(form, lambda data: services.criteria_weights_set(user=request.user, procurement=procurement, weights=form.weights())):
        messages.success(request, _("Vektene er lagret."))
        return redirect(_url("tendering_criteria", procurement.pk))
    return _render_criteria(request, procurement, status=400, weights_form=form)


@login_required
@require_POST
def criterion_propose(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    spec = specification_view(user=request.user, procurement=procurement).specification
    form = CriterionForm(request.POST, specification=spec)

    def call(data):
        return services.criterion_propose(
            user=request.user,
            procurement=procurement,
            name=data["name"],
            description=data["description"],
            weight=data.get("weight"),
            parent_id=data.get("parent"),
            is_price=data["is_price"],
        )

    if _attempt(form, call, default_field="name"):
        messages.success(request, _("Kriteriet er foreslått."))
        return redirect(_url("tendering_criteria", procurement.pk))
    return _render_criteria(request, procurement, status=400, criterion_form=form)


@login_required
@require_POST
def criterion_remove(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    criterion_id = _int_or_none(request.POST.get("criterion"))
    if criterion_id is None:
        raise Http404
    try:
        services.criterion_remove(user=request.user, procurement=procurement, criterion_id=criterion_id)
    except AwardCriterion.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Kriteriet er trukket."))
    return redirect(_url("tendering_criteria", procurement.pk))


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@login_required
@require_POST
def criteria_decide(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    try:
        services.criteria_decide(user=request.user, procurement=procurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tildelingskriteriene er besluttet."))
    return redirect(_url("tendering_criteria", procurement.pk))


# ----------------------------------------------------------------------------- tender documents


def _render_tender_text(request, procurement, *, status: int = 200, text_form=None, qualification_form=None):
    view = specification_view(user=request.user, procurement=procurement)
    if view.can_write_text:
        text_form = text_form or TenderTextForm(initial=TenderTextForm.initial_for(view.specification))
        qualification_form = qualification_form or QualificationForm()
    error_form = next((f for f in (text_form, qualification_form) if f is not None and f.has_errors), None)
    return render(
        request,
        "tendering/tender_text_page.html",
        {
            "procurement": procurement,
            "view": view,
            "text_form": text_form,
            "qualification_form": qualification_form,
            "error_form": error_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tender_text_page(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if request.method == "GET":
        return _render_tender_text(request, procurement)
    form = TenderTextForm(request.POST)
    if _attempt(form, lambda data: services.tender_text_save(user=request.user, procurement=procurement, **form.service_kwargs())):
        messages.success(request, _("Konkurransegrunnlaget er lagret."))
        return redirect(_url("tendering_tender_text", procurement.pk))
    return _render_tender_text(request, procurement, status=400, text_form=form)


@login_required
@require_POST
def qualification_add(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    form = QualificationForm(request.POST)
    if _attempt(form, lambda data: services.qualification_add(user=request.user, procurement=procurement, **data), default_field="text"):
        messages.success(request, _("Kvalifikasjonskravet er lagt til."))
        return redirect(_url("tendering_tender_text", procurement.pk, "kvalifikasjon"))
    return _render_tender_text(request, procurement, status=400, qualification_form=form)


# ----------------------------------------------------------------------------- printed documents


@login_required
@require_GET
def document_pdf(request, procurement_id: int, document: str):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if document not in documents.DOCUMENTS:
        raise Http404
    pdf = documents.document_pdf_read(user=request.user, procurement=procurement, document=document)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.DOCUMENTS[document].filename}-{procurement.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_version_add(request, procurement_id: int, document: str):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if document not in documents.DOCUMENTS:
        raise Http404
    try:
        version = documents.document_version_add(user=request.user, procurement=procurement, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("PDF-en er lagt inn som versjon %(number)d av «%(name)s» (SHA-256 %(sha)s…).")
            % {"number": version.number, "name": version.deliverable.definition.label, "sha": version.sha256[:12]},
        )
    return redirect(_url("tendering_specification", procurement.pk, "dokumenter"))


# ----------------------------------------------------------------------------- the tender package


def _package_or_404(procurement, package_id: int) -> TenderPackage:
    package = TenderPackage.objects.filter(pk=package_id, procurement=procurement).first()
    if package is None:
        raise Http404
    return package


@login_required
@require_POST
def package_request(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    try:
        package = packages.tender_package_request(user=request.user, procurement=procurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_url("tendering_specification", procurement.pk, "pakke"))
    return redirect(reverse("tendering_package", args=[procurement.pk, package.pk]))


@login_required
@require_GET
def package_page(request, procurement_id: int, package_id: int):
    """The package and its progress. While it is being made, htmx asks for the status part
    every two seconds; without JavaScript the page says to reload it."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if not packages.may_export(user=request.user, procurement=procurement):
        raise PermissionDenied(_("Bare regional innkjøper og de som styrer anskaffelsen, eksporterer konkurransepakken."))
    package = _package_or_404(procurement, package_id)
    context = {"procurement": procurement, "package": package}
    if is_htmx_partial(request):
        return render(request, "tendering/_package_status.html", context)
    return render(request, "tendering/package_page.html", context)


@login_required
@require_GET
def package_download(request, procurement_id: int, package_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    try:
        package = packages.tender_package_download_record(user=request.user, procurement_id=procurement.pk, package_id=package_id)
    except TenderPackage.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("tendering_package", args=[procurement.pk, package_id]))
    response = FileResponse(package.file.open("rb"), content_type="application/zip", as_attachment=True,
                            filename=f"konkurransepakke-{procurement.pk}-{package.pk}.zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ----------------------------------------------------------------------------- the reuse library


def _render_library(request, procurement, form, *, status: int = 200):
    query, kind = "", library_scope.REQUIREMENT
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    elif form.is_bound:
        # Only a search that was asked for can be wrong: the tab's plain link opens the page.
        status = 400
    hits = library_search(user=request.user, query=query, kind=kind, procurement=procurement, page=request.GET.get("side", 1))
    view = specification_view(user=request.user, procurement=procurement)
    return render(
        request,
        "tendering/library_page.html",
        {
            "procurement": procurement,
            "view": view,
            "form": form,
            "error_form": form if form.errors else None,
            "hits": hits,
            "query": query,
            "kind": kind,
        },
        status=status,
    )


@login_required
@require_GET
def library_page(request, procurement_id: int):
    """Requirements, needs and award criteria from other procurements' specifications, searched
    in Norwegian, each copied in with its origin by those allowed to write it here."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    return _render_library(request, procurement, LibrarySearchForm(request.GET or None))


@login_required
@require_POST
def library_copy(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    kind = request.POST.get("kind", "")
    raw_id = request.POST.get("source", "")
    source_id = id_from(raw_id)
    if kind not in library_scope.KINDS or source_id is None:
        raise Http404
    back = reverse("tendering_library", args=[procurement.pk]) + "?" + urlencode(
        {"q": request.POST.get("q", "")[:LIBRARY_QUERY_MAX_LENGTH], "kind": kind}
    )
    try:
        copy = services.library_copy(user=request.user, procurement=procurement, kind=kind, source_id=source_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request, _("Kopiert inn: %(what)s, hentet fra «%(origin)s».") % {"what": getattr(copy, "ref", "") or copy, "origin": copy.origin_label}
    )
    return redirect(back)
