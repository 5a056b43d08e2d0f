"""Pytest plugin loaded before Django's settings: test-wide environment defaults.

The test client speaks plain HTTP and static files have no manifest in tests;
everything else comes from the one settings module as in production.
"""

import os
from pathlib import Path

os.environ.setdefault("LAYAN_HTTPS", "0")
os.environ.setdefault("LAYAN_TEST_LIGHT_ARGON2", "1")
os.environ.setdefault(
    "LAYAN_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("LAYAN_VAR_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test"))
# Tests serve static files straight from the apps (no collectstatic step).
os.environ.setdefault("LAYAN_STATIC_FROM_APPS", "1")
(Path(os.environ["LAYAN_VAR_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
