"""Helpers for tests that drive real tools (Chromium, poppler)."""

import os
import shutil

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


def require_tool(name: str) -> str:
    """The tool's path; skip the test without it, or fail when LAYAN_REQUIRE_TOOLS=1 (CI)."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed (Debian: apt-get install chromium poppler-utils)"
    if os.environ.get("LAYAN_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with a test-sized cost (1 MiB, one pass): same format, ~1 ms a hash."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
