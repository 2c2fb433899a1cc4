from .base import *  # noqa: F401,F403
from .base import VAR_DIR

DEBUG = True
SHOW_DEMO_LOGINS = True

# The SQLite file and the filesystem broker live here; a fresh clone has no var/ yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is absent
WHITENOISE_USE_FINDERS = True
