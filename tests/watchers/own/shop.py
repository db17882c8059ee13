"""Our shop's days and the export files the platforms write of them, built for the tests.

The layouts follow the platforms' daily exports: 生意参谋 / 千牛 (title and period lines
above a Chinese header, rates as "5.00%", GBK CSV; xlsx with a merged title and merged
group headers over the columns, and the same in the older binary .xls), JD 商智
(成交金额 / 成交人数 / 成交转化率) and Shopify analytics (English, rates as fractions).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path


@dataclass(frozen=True)
class Day:
    """One day of our shop; sales = visitors × conversion × order value."""

    day: date
    visitors: int = 1000
    conversion: float = 0.05
    order_value: float = 100.0
    bounce: float = 0.5
    depth: float = 3.0
    repeat: int = 10

    @property
    def buyers(self) -> int:
        return round(self.visitors * self.conversion)

    @property
    def sales(self) -> float:
        return round(self.buyers * self.order_value, 2)


def days(first: date, count: int, **figures: float) -> list[Day]:
    """`count` ordinary days from `first`."""
    return [Day(first + timedelta(days=n), **figures) for n in range(count)]  # type: ignore[arg-type]


def change(rows: list[Day], day: date, **figures: float) -> list[Day]:
    """The rows with one day's figures changed."""
    return [replace(r, **figures) if r.day == day else r for r in rows]  # type: ignore[arg-type]


SYCM_HEADER = ["统计日期", "访客数", "浏览量", "支付金额", "支付买家数", "支付转化率", "客单价",
               "跳失率", "人均浏览量", "老买家数"]


def sycm_rows(rows: list[Day]) -> list[list[str]]:
    return [[r.day.isoformat(), str(r.visitors), str(round(r.visitors * r.depth)),
             f"{r.sales:.2f}", str(r.buyers), f"{r.conversion:.2%}", f"{r.order_value:.2f}",
             f"{r.bounce:.2%}", f"{r.depth:.2f}", str(r.repeat)] for r in rows]


def sycm_csv(rows: list[Day], encoding: str = "gbk") -> bytes:
    """生意参谋's daily CSV: a title line, the period, a blank line, the header, the days."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["【生意参谋平台】店铺-整体看板-日报"])
    writer.writerow([f"统计时间：{rows[0].day} ~ {rows[-1].day}"])
    writer.writerow([])
    writer.writerow(SYCM_HEADER)
    writer.writerows(sycm_rows(rows))
    writer.writerow(["合计", "", "", f"{sum(r.sales for r in rows):.2f}"])
    return out.getvalue().encode(encoding)


def sycm_sources_csv(rows: list[Day], paid: dict[date, int] | None = None) -> bytes:
    """生意参谋's daily CSV with the visitors split by source: 30 % paid (直通车 and the like),
    60 % search, 10 % campaigns, unless `paid` says otherwise for a day."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*SYCM_HEADER, "付费访客数", "手淘搜索访客数", "活动访客数"])
    for r, cells in zip(rows, sycm_rows(rows), strict=True):
        own_paid = (paid or {}).get(r.day, round(r.visitors * 0.3))
        writer.writerow([*cells, own_paid, r.visitors - own_paid - round(r.visitors * 0.1),
                         round(r.visitors * 0.1)])
    return out.getvalue().encode("gbk")


def jd_csv(rows: list[Day]) -> bytes:
    """JD 商智's daily CSV (UTF-8 with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["日期", "访客数", "浏览量", "成交金额", "成交人数", "成交转化率",
                     "成交客单价", "跳失率", "人均浏览量"])
    for r in rows:
        writer.writerow([r.day.strftime("%Y/%m/%d"), r.visitors, round(r.visitors * r.depth),
                         f"{r.sales:,.2f}", r.buyers, f"{r.conversion:.2%}",
                         f"{r.order_value:.2f}", f"{r.bounce:.2%}", f"{r.depth:.2f}"])
    return out.getvalue().encode("utf-8-sig")


def shopify_csv(rows: list[Day]) -> bytes:
    """Shopify analytics' sales-over-time CSV with sessions (English, rates as fractions)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Day", "Online store visitors", "Orders", "Total sales",
                     "Conversion rate", "Average order value", "Returning customers"])
    for r in rows:
        writer.writerow([r.day.isoformat(), r.visitors, r.buyers, f"{r.sales:.2f}",
                         f"{r.conversion:.4f}", f"{r.order_value:.2f}", r.repeat])
    return out.getvalue().encode("utf-8")


def sycm_xlsx(rows: list[Day]) -> bytes:
    """生意参谋's xlsx: a merged title row, merged group headers (流量 / 支付 / 服务) over
    sub-headers some of which only name the figure with their group (支付 + 金额)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["【生意参谋平台】店铺-整体看板"])
    sheet.merge_cells("A1:J1")
    sheet.append(["统计日期", "流量", None, "支付", None, None, None, "服务", None, None])
    for cells in ("A2:A3", "B2:C2", "D2:G2", "H2:J2"):
        sheet.merge_cells(cells)
    sheet.append([None, "访客数", "浏览量", "金额", "买家数", "转化率", "客单价", "跳失率",
                  "人均浏览量", "老买家数"])
    for r in rows:
        sheet.append([r.day, r.visitors, round(r.visitors * r.depth), r.sales, r.buyers,
                      r.conversion, r.order_value, r.bounce, r.depth, r.repeat])
        for column in ("F", "H"):
            sheet[f"{column}{sheet.max_row}"].number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sycm_xls(rows: list[Day]) -> bytes:
    """The same sheet as `sycm_xlsx` in the older binary .xls (BIFF8) that 生意参谋 also
    downloads, its header cells merged the same way."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("店铺整体")
    sheet.write_merge(0, 0, 0, 9, "【生意参谋平台】店铺-整体看板")
    sheet.write_merge(1, 2, 0, 0, "统计日期")
    for first, last, group in ((1, 2, "流量"), (3, 6, "支付"), (7, 9, "服务")):
        sheet.write_merge(1, 1, first, last, group)
    for j, name in enumerate(["访客数", "浏览量", "金额", "买家数", "转化率", "客单价", "跳失率",
                              "人均浏览量", "老买家数"], start=1):
        sheet.write(2, j, name)
    day_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    rate_style = xlwt.easyxf(num_format_str="0.00%")
    for i, r in enumerate(rows, start=3):
        sheet.write(i, 0, r.day, day_style)
        values = [r.visitors, round(r.visitors * r.depth), r.sales, r.buyers, r.conversion,
                  r.order_value, r.bounce, r.depth, r.repeat]
        for j, value in enumerate(values, start=1):
            if j in (5, 7):
                sheet.write(i, j, value, rate_style)
            else:
                sheet.write(i, j, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes, mtime: float | None = None) -> Path:
    """Drop an export into the folder (with a given modification time, if any)."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path
