"""Reading one export file (.csv GBK/UTF-8, .xlsx, .xls) into days of figures, or refusing it.

Pure: bytes in, figures out. A file is taken whole or not at all: any row that cannot be
read (a cut last line, a value that is no number) refuses the file, naming the column, so
that a half-written export never becomes a wrong figure.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from watchers.own.figures import RATES, REQUIRED, DayFigures, column_names, normalise
from watchers.own.workbook import WorkbookError, workbook_rows

EXTENSIONS = (".csv", ".xlsx", ".xls", ".xlsm")
HEADER_ROWS = 30  # title and note rows 生意参谋 puts above the header
# Rows that close a table instead of holding a day (合计 = total, 平均 = average).
SUMMARY_WORDS = ("合计", "总计", "汇总", "平均", "均值", "total", "average", "sum")
_EMPTY = ("", "-", "--", "—", "n/a", "null", "none")
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)
# Thousands separators, currency signs and units around a figure ("¥1,234.50", "1,000人").
_MARKS = str.maketrans("", "", ",，¥￥$元人次 \u00a0")


class ExportError(Exception):
    """An export that cannot be read: which file, which column (or None), and why."""

    def __init__(self, file: str, column: str | None, message: str) -> None:
        super().__init__(f"{file}: {message}" + (f" (column {column})" if column else ""))
        self.file = file
        self.column = column
        self.message = message


def read_export(name: str, data: bytes,
                extra: dict[str, tuple[str, ...]] | None = None) -> list[DayFigures]:
    """The days one export holds, by its bytes (not its extension: Taobao's ".xls" is often
    a text or HTML table)."""
    return figures_of(table_of(name, data), name, extra)


def table_of(name: str, data: bytes) -> list[list[Any]]:
    """The first sheet (or the text table) as rows of cells."""
    if not data.strip():
        raise ExportError(name, None, "the file is empty")
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        try:
            return workbook_rows(data)
        except WorkbookError as exc:
            raise ExportError(name, None, str(exc)) from None
    text = _decode(name, data)
    if "<table" in text[:4096].lower():
        return _html_rows(name, text)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter=delimiter)]
    except csv.Error as exc:  # a stray quote or carriage return, a field past 128 KB
        raise ExportError(name, None, f"not a readable CSV ({exc})") from None


def _decode(name: str, data: bytes) -> str:
    # 生意参谋 writes GBK; newer exports and Shopify write UTF-8, often with a BOM. GB18030
    # is GBK's superset, so a character GBK lacks does not refuse a real GBK file.
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ExportError(name, None, "neither UTF-8 nor GBK text")


def _html_rows(name: str, text: str) -> list[list[Any]]:
    from lxml import html

    try:
        root = html.fromstring(text)
    except Exception as exc:  # lxml raises several kinds on broken markup
        raise ExportError(name, None, f"not a readable HTML table ({exc})") from None
    return [[cell.text_content().strip() for cell in tr.xpath("./th|./td")]
            for tr in root.iter("tr")]


def _header(rows: Sequence[Sequence[Any]], names: dict[str, tuple[str, ...]]
            ) -> tuple[int, dict[str, int], list[str]]:
    """The header row, each figure's column and the headers as written.

    A header may span two rows where a merged cell above names a group ("支付" over
    "金额 / 买家数 / 转化率"): each column is then tried alone and with its group's name,
    and an empty cell under a name merged down (统计日期 over two rows) takes that name.
    """
    parent: list[str] = []
    saw_day = False
    for i, row in enumerate(rows[:HEADER_ROWS]):
        cells = ["" if c is None else str(c).strip() for c in row]
        at: dict[str, int] = {}
        group = ""
        for j, cell in enumerate(cells):
            group = (parent[j] if j < len(parent) else "") or group
            if cell:
                at.setdefault(normalise(cell), j)
                at.setdefault(normalise(group + cell), j)
            elif j < len(parent) and parent[j]:  # merged down from the row above
                at.setdefault(normalise(parent[j]), j)
        found: dict[str, int] = {}
        for figure, wanted in names.items():
            col = next((at[w] for w in wanted if w in at and at[w] not in found.values()), None)
            if col is not None:
                found[figure] = col
        saw_day = saw_day or "day" in found
        if all(f in found for f in REQUIRED):
            return i, found, cells
        parent = cells
    missing = "sales" if saw_day else "day"
    raise ExportError("", missing, f"no {missing} column in the first {HEADER_ROWS} rows")


def figures_of(rows: Sequence[Sequence[Any]], name: str,
               extra: dict[str, tuple[str, ...]] | None = None) -> list[DayFigures]:
    """Rows of cells -> days. Refuses the whole table on the first cell it cannot read."""
    try:
        at, columns, headers = _header(rows, column_names(extra))
    except ExportError as exc:
        raise ExportError(name, exc.column, exc.message) from None
    days: dict[date, DayFigures] = {}
    for row in rows[at + 1:]:
        if all(_blank(c) for c in row):
            continue
        day_cell = row[columns["day"]] if columns["day"] < len(row) else None
        day = _day(day_cell)
        if day is None:
            if _blank(day_cell) or _summary(day_cell):
                continue
            raise ExportError(name, headers[columns["day"]], f"{day_cell!r} is not a day")
        values: dict[str, float | None] = {}
        for figure, j in columns.items():
            if figure == "day":
                continue
            if j >= len(row):  # a line cut short: the file is still being written
                raise ExportError(name, headers[j], f"the row of {day} ends before this column")
            try:
                values[figure] = _number(row[j], figure in RATES)
            except ValueError as exc:
                raise ExportError(name, headers[j], f"{day}: {exc}") from None
        sales = values.pop("sales")
        if sales is None:
            raise ExportError(name, headers[columns["sales"]], f"{day} has no sales")
        days[day] = DayFigures(day=day, sales=sales, **values)
    if not days:
        raise ExportError(name, None, "no day rows under the header")
    return sorted(days.values(), key=lambda d: d.day)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip().lower() in _EMPTY)


def _summary(cell: Any) -> bool:
    text = str(cell).strip().lower()
    return any(word in text for word in SUMMARY_WORDS)


def _day(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 20000 < cell < 80000:  # an Excel serial day number (1954..2119)
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        cell = str(int(cell)) if float(cell).is_integer() else str(cell)
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    match = _DAY.search(text) or _COMPACT_DAY.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _number(cell: Any, rate: bool) -> float | None:
    """A cell as a number; rates as fractions ("3.21%" and a bare 3.21 are 0.0321)."""
    if _blank(cell):
        return None
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number")
    percent = False
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = str(cell).strip().translate(_MARKS)
        percent = text.endswith(("%", "％"))
        try:
            value = float(text.rstrip("%％"))
        except ValueError:
            raise ValueError(f"{cell!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{cell!r} is not a figure")
    if percent or (rate and value > 1):
        value /= 100
    if rate and value > 1:
        raise ValueError(f"{cell!r} is more than 100 %")
    return value
