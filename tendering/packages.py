"""The services of the tender package: request one (built in the background by Celery), build
it (called by the task, idempotent), export it from the shell, and read it. The regional buyer
and those who run the procurement export and download; every step is audited, the package's
SHA-256 with it."""
import logging
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record
from procurement.models import Procurement
from procurement.selectors.access import roles_in_procurement
from procurement.services.guards import procurement_locked, refusals_audited

from .export import NoTenderDocuments, file_sha256, has_tender_documents, package_write
from .models import PackageState, TenderPackage
from .ownership import TENDER_TEXT_WRITERS

logger = logging.getLogger(__name__)


def may_export(*, user, procurement: Procurement) -> bool:
    return bool(roles_in_procurement(user=user, procurement=procurement) & TENDER_TEXT_WRITERS) or user.has_perm(
        "procurement.manage_procurement", procurement
    )


def _require_export(user, procurement: Procurement) -> None:
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    if not may_export(user=user, procurement=procurement):
        raise PermissionDenied(gettext("Bare regional innkjøper og de som styrer anskaffelsen, eksporterer konkurransepakken."))


@refusals_audited(Action.TENDER_PACKAGE_REFUSED, lambda kw: "ba om konkurransepakken")
@transaction.atomic
def tender_package_request(*, user, procurement: Procurement) -> TenderPackage:
    """Queues a new package; the task starts when the transaction commits. A package already
    being made is returned instead of starting a second."""
    from .tasks import tender_package_build_task

    procurement = procurement_locked(procurement.pk)
    _require_export(user, procurement)
    if not has_tender_documents(procurement):
        raise ValidationError(gettext("Anskaffelsen har ikke kommet til konkurransegrunnlaget ennå."))
    active = procurement.tender_packages.filter(state__in=[PackageState.QUEUED, PackageState.RUNNING]).first()
    if active is not None:
        return active
    package = TenderPackage.objects.create(procurement=procurement, requested_by=user, step=gettext("Venter på å starte"))
    audit_record(
        actor=user,
        action=Action.TENDER_PACKAGE_REQUESTED,
        procurement=procurement,
        message="Ba om en ny konkurransepakke (ZIP).",
        data={"package": package.pk},
    )
    transaction.on_commit(lambda: tender_package_build_task.delay(package_id=package.pk))
    return package


def _progress(package_id: int):
    def report(percent: int, step: str) -> None:
        TenderPackage.objects.filter(pk=package_id).update(progress=percent, step=step[:200])

    return report


def tender_package_build(*, package_id: int) -> TenderPackage:
    """Builds the package (outside a transaction, so the screen sees the progress as it goes).
    Does nothing for a package that is done or failed."""
    with transaction.atomic():
        package = TenderPackage.objects.select_for_update().select_related("procurement").get(pk=package_id)
        if package.state not in (PackageState.QUEUED, PackageState.RUNNING):
            return package
        package.state = PackageState.RUNNING
        package.save(update_fields=["state"])
    procurement = package.procurement
    try:
        with tempfile.TemporaryFile() as handle:
            manifest = package_write(procurement, handle, progress=_progress(package.pk))
            sha256, size = file_sha256(handle)
            handle.seek(0)
            with transaction.atomic():
                package = TenderPackage.objects.select_for_update().get(pk=package_id)
                package.file.save(f"konkurransepakke-{procurement.pk}.zip", File(handle), save=False)
                package.sha256, package.size, package.files = sha256, size, len(manifest) + 1
                package.state, package.progress, package.finished_at = PackageState.DONE, 100, timezone.now()
                package.step = ""
                package.save()
                audit_record(
                    actor=package.requested_by,
                    action=Action.TENDER_PACKAGE_BUILT,
                    procurement=procurement,
                    message=f"Konkurransepakken er laget: {package.files} filer, {size} byte, SHA-256 {sha256}.",
                    data={"package": package.pk, "sha256": sha256, "size": size, "files": package.files},
                )
    except Exception as error:  # the task records why and the screen says so
        logger.exception("Tender package %s failed", package_id)
        with transaction.atomic():
            TenderPackage.objects.filter(pk=package_id).update(
                state=PackageState.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
            )
            audit_record(
                actor=package.requested_by,
                action=Action.TENDER_PACKAGE_FAILED,
                procurement=procurement,
                message="Konkurransepakken kunne ikke lages.",
                data={"package": package.pk, "error": type(error).__name__},
            )
        package.refresh_from_db()
    return package


def tender_package_export_to(*, procurement_id: int, path: str) -> tuple[str, int, int]:
    """The shell's export: the package written to PATH. Returns (SHA-256, size, files).
    Procurement.DoesNotExist or NoTenderDocuments when there is nothing to export."""
    procurement = Procurement.objects.select_related("collaboration", "lead_municipality").get(pk=procurement_id)
    if not has_tender_documents(procurement):
        raise NoTenderDocuments(procurement_id)
    with open(path, "w+b") as handle:
        manifest = package_write(procurement, handle)
        sha256, size = file_sha256(handle)
    audit_record(
        actor=None,
        action=Action.TENDER_PACKAGE_BUILT,
        procurement=procurement,
        message=f"Konkurransepakken er eksportert fra kommandolinjen: {len(manifest) + 1} filer, {size} byte, SHA-256 {sha256}.",
        data={"sha256": sha256, "size": size, "files": len(manifest) + 1, "shell": True},
    )
    return sha256, size, len(manifest) + 1


@refusals_audited(Action.TENDER_PACKAGE_REFUSED, lambda kw: "forsøkte å laste ned konkurransepakken")
@transaction.atomic
def tender_package_download_record(*, user, procurement_id: int, package_id: int) -> TenderPackage:
    package = TenderPackage.objects.select_related("procurement").filter(pk=package_id, procurement_id=procurement_id).first()
    if package is None:
        raise TenderPackage.DoesNotExist
    _require_export(user, package.procurement)
    if package.state != PackageState.DONE:
        raise ValidationError(gettext("Konkurransepakken er ikke ferdig."))
    audit_record(
        actor=user,
        action=Action.TENDER_PACKAGE_DOWNLOADED,
        procurement=package.procurement,
        message=f"Lastet ned konkurransepakken (SHA-256 {package.sha256}).",
        data={"package": package.pk, "sha256": package.sha256},
    )
    return package
