"""Run the real ``jlexam`` command in a subprocess, with its own file keyring and database folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "Passw0rd-e2e"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Jlexam:
    home: Path
    env: dict[str, str]

    def __call__(self, *args: str, password: str | None = PASSWORD, **extra_env: str) -> Result:
        env = dict(self.env, **extra_env)
        if password is not None:
            env["JLEXAM_PASSWORD"] = password
        proc = subprocess.run(
            [sys.executable, "-m", "jlexam", *args],
            capture_output=True, text=True, env=env, cwd=self.home, stdin=subprocess.DEVNULL, timeout=300,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def jlexam(tmp_path: Path) -> Jlexam:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JLEXAM_")}
    env.update(
        JLEXAM_DB=str(tmp_path / "office.sqlite"),
        JLEXAM_KEYRING=f"file:{tmp_path / 'keyring.cfg'}",
        JLEXAM_KEYRING_PASSPHRASE="e2e-keyring",
        XDG_DATA_HOME=str(tmp_path / "xdg"),
    )
    return Jlexam(tmp_path, env)
