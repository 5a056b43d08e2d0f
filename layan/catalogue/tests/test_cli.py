"""`layan check-sops` as an officer runs it: exit status and messages on the terminal."""

import os
import subprocess
import sys

from django.conf import settings

from layan.catalogue.tests.test_definitions import BROKEN


def _layan(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = os.environ | {"LAYAN_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [sys.executable, "-m", "layan.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_check_sops_accepts_the_bundled_definitions(tmp_path):
    result = _layan("check-sops", str(settings.SOPS_DIR), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0 bermasalah" in result.stdout


def test_check_sops_exits_non_zero_with_every_error(tmp_path):
    broken = tmp_path / "rusak.yaml"
    broken.write_text(BROKEN)
    result = _layan("check-sops", str(broken), tmp_path=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert (
        f"{broken}:1: code: bentuk tidak sah: 'Bad Code' tidak cocok dengan pola" in result.stderr
    )
    assert any(
        line.startswith(f"{broken}:6: actors.petugas.role: peran 'satpam'") for line in lines
    )
    assert any(line.startswith(f"{broken}:13: steps[1].kind:") for line in lines)
    assert "1 berkas diperiksa, 1 bermasalah" in result.stderr
