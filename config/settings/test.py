from .base import *  # noqa: F401,F403
from .base import VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is absent
WHITENOISE_USE_FINDERS = True

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-uploads"
SHOW_DEMO_LOGINS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks run in-process when a service schedules them on commit; the test that exercises
# the real worker starts one against the configured broker itself.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Declared public holidays are read from the database at the first holiday lookup of a
# process; in the tests that query would land inside whichever test looks first (and in its
# query count). Tests that declare a holiday do it through procurement.services.holidays.
DECLARED_HOLIDAYS_AUTOLOAD = False
