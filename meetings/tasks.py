from celery import shared_task

from .services import minutes_approve_due


@shared_task(name="meetings.approve_minutes")
def minutes_approve_due_task() -> int:
    """Beat runs this hourly: minutes no correction arrived for by the deadline are approved,
    and the audit log says it happened by itself."""
    return len(minutes_approve_due())
