"""The exports folder: which files are there, and reading the ones new or changed."""

from __future__ import annotations

from pathlib import Path

from watchers.own.exports import EXTENSIONS, ExportError, read_export
from watchers.own.figures import DayFigures

MAX_FILE_BYTES = 50 * 1024 * 1024  # a year of daily rows is ~100 KB; more is not an export


def list_exports(folder: Path) -> dict[str, tuple[float, int]]:
    """Each export file by name: its modification time and size.

    Hidden files, Excel's lock files (~$name) and downloads still under way (.part,
    .crdownload) are not exports. Raises OSError when the folder cannot be listed.
    """
    out = {}
    for path in folder.iterdir():
        name = path.name
        if name.startswith((".", "~$")) or not name.lower().endswith(EXTENSIONS):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue  # removed between the listing and now: it is not there
        if path.is_file():
            out[name] = (stat.st_mtime, stat.st_size)
    return out


def read_files(folder: Path, names: list[str], columns: dict[str, tuple[str, ...]]
               ) -> dict[str, list[DayFigures] | ExportError]:
    """Read each named file; a file that cannot be read gives its ExportError instead."""
    out: dict[str, list[DayFigures] | ExportError] = {}
    for name in names:
        try:
            path = folder / name
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ExportError(name, None, f"larger than {MAX_FILE_BYTES} bytes")
            out[name] = read_export(name, path.read_bytes(), columns)
        except ExportError as exc:
            out[name] = exc
        except OSError as exc:
            out[name] = ExportError(name, None, f"cannot be opened ({exc.strerror or exc})")
    return out
