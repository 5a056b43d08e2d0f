"""Production settings pass Django's deployment checks with no warning at all."""

import os
import secrets
import subprocess
import sys

import pytest


def _check_deploy(tmp_path, **overrides) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LAYAN_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "layan.settings",
        "LAYAN_SECRET_KEY": secrets.token_urlsafe(64),
        "LAYAN_ALLOWED_HOSTS": "layan.dinsos.example.go.id",
        "LAYAN_VAR_DIR": str(tmp_path),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "-m", "layan.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [({"LAYAN_HTTPS": "0"}, "security.W004"), ({"LAYAN_DEBUG": "1"}, "security.W018")],
)
def test_check_deploy_fails_when_production_is_weakened(tmp_path, override, warning):
    result = _check_deploy(tmp_path, **override)
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_pages_carry_csp_and_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
