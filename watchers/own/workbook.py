"""Reading a workbook (.xlsx, .xls) in a child process with a memory cap.

python-calamine reads workbooks ~10x faster than openpyxl, but it is native code: fed a
corrupt .xls it panics, and some corrupt headers make it ask for terabytes and abort the
whole process (found by mutating sample exports; 1,200 mutants). A file the operator drops
must never take the monitor down, so the workbook is read in a child process that may die
alone: its death is an unreadable file, nothing more. Each file is read once, so the ~0.1 s
of starting the child is paid once per export.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date, datetime, time
from typing import Any

MEMORY_CAP = 1 << 30  # bytes of address space for the child: a daily export needs ~100 MB
TIMEOUT = 60.0  # seconds; a year of daily rows takes well under one


class WorkbookError(Exception):
    """The workbook could not be read; the message says why."""


def workbook_rows(data: bytes) -> list[list[Any]]:
    """The first sheet's rows (days as ISO text); raises WorkbookError."""
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    try:
        done = subprocess.run([sys.executable, "-m", "watchers.own.workbook"], input=data,
                              capture_output=True, timeout=TIMEOUT, check=False, env=env)
    except subprocess.TimeoutExpired:
        raise WorkbookError(f"reading it took longer than {TIMEOUT:g} s") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.decode(errors="replace").splitlines() if ln.strip()]
        why = lines[-1].strip()[:200] if lines else f"the reader died ({done.returncode})"
        raise WorkbookError(why)
    rows = json.loads(done.stdout)
    if not isinstance(rows, list):
        raise WorkbookError("the reader gave no rows")
    return rows


def _plain(cell: Any) -> Any:
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    if isinstance(cell, float) and cell != cell:  # NaN is no figure
        return None
    return cell


def main() -> int:
    """The child: workbook bytes on stdin, its first sheet as JSON rows on stdout."""
    if sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except BaseException as exc:  # calamine's panics are BaseExceptions: still this file's fault
        print(f"not a readable workbook ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    json.dump([[_plain(c) for c in row] for row in rows], sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
