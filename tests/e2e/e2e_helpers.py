"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys


def casedesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``casedesk`` command as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env or os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )
