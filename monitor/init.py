"""`monitor init`: a commented starter config.toml in the current folder, never overwritten."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path
from typing import TextIO


def write_starter(folder: Path, language: str, out: TextIO) -> int:
    """Write `config.toml` in `folder` in `language`; exit 2 if one is already there."""
    path = folder / "config.toml"
    if path.exists():
        print(f"{path}: already exists; not overwritten (move it away or edit it)",
              file=sys.stderr)
        return 2
    text = files("monitor").joinpath("starter", f"{language}.toml").read_text("utf-8")
    path.write_text(text, encoding="utf-8")
    out.write(f"Wrote {path}. Fill in the lines marked '<- yours', then run: "
              "monitor check\n" if language == "en" else
              f"已写好 {path}。改好标有「<- 改成你的」的几行，然后运行：monitor check\n")
    return 0
