"""Django's authentication signals, turned into service calls. A failed login has no other
hook: the login view, the admin's login and the API's basic authentication all end in
django.contrib.auth.authenticate, which only tells through user_login_failed."""
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from config.client_ip import client_ip

from .services import login_failure_record


@receiver(user_login_failed, dispatch_uid="municipalities.login_failed_audit")
def login_failed_audit(sender, credentials, request=None, **kwargs):
    if request is None:  # authenticate() called from code, not by someone at a login form
        return
    # Django has already masked the password in CREDENTIALS; only the username is read.
    username = credentials.get(get_user_model().USERNAME_FIELD) or ""
    login_failure_record(
        username=str(username),
        ip_address=getattr(request, "axes_ip_address", None) or client_ip(request),
        path=request.path,
        locked_out=bool(getattr(request, "axes_locked_out", False)),
    )
