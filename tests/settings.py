"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-in-production")

# The suite's mail goes to locmem (below); this only gets past the production rule, and is
# taken back out so the settings tests that start new processes see a clean environment.
_console_for_import = "EMAIL_BACKEND" not in os.environ
os.environ.setdefault("EMAIL_BACKEND", "console")

from devboard.settings import *  # noqa: E402,F403

if _console_for_import:
    del os.environ["EMAIL_BACKEND"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# django-axes refuses authenticate() calls that carry no request, as the test client's login()
# makes. Every sign-in in the app passes one (tests/security checks the lockout through the real
# pages), so in tests a request-less call skips the lockout check instead of failing.
AUTHENTICATION_BACKENDS = ["tests.backends.LockoutUnlessNoRequest", *AUTHENTICATION_BACKENDS[1:]]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Figures are counted afresh on every view, so each test sees what it just changed (the summary
# the worker keeps is tested on its own, in tests/test_program_queries.py).
PROGRAM_FIGURES_MAX_AGE = 0
# Whole pages are kept (devboard/pagecache.py), in this process's memory even where REDIS_URL is
# set, as conftest empties them before each test.
PAGE_CACHE = True
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"}  # noqa: F405
