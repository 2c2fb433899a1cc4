from .base import *  # noqa: F401,F403

DEBUG = True
SHOW_DEMO_LOGINS = True
