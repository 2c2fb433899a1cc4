"""Celery tasks of the tender documents: thin, take ids, call the service (which is idempotent)."""
from celery import shared_task


@shared_task(name="tendering.tender_package_build")
def tender_package_build_task(*, package_id: int) -> str:
    from .packages import tender_package_build

    return tender_package_build(package_id=package_id).state
