"""The real `monitor` CLI in a child process: its exit code, output and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Runs the CLI, then reports the child's own peak RSS on the last stderr line.
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a child started from a big
# pytest process could report its parent's peak as its own.
_MEASURED = ("import re, sys\nfrom monitor.cli import main\nrc = main(sys.argv[1:])\n"
             "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
             "print('PEAK_KB', hwm.group(1) if hwm else 0, file=sys.stderr)\nsys.exit(rc)\n")


@dataclass
class Done:
    """A finished child."""

    code: int
    out: str
    err: str

    @property
    def peak_mb(self) -> float:
        line = next(x for x in reversed(self.err.splitlines()) if x.startswith("PEAK_KB"))
        return int(line.split()[1]) / 1024


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child: this one, minus any bot token, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> Done:
    """`monitor ARGS` in a child (measured); waits for it."""
    done = subprocess.run([sys.executable, "-c", _MEASURED, *args], cwd=ROOT,
                          env=env or child_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)
    return Done(done.returncode, done.stdout, done.stderr)


def spawn(*args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`python -m monitor ARGS` in a child, its output appended to `log`; the caller waits."""
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "monitor", *args], cwd=ROOT,
                                env=env or child_env(), stdout=out, stderr=subprocess.STDOUT)
