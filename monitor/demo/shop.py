"""Our shop in the sample world: the daily exports an operator drops in the folder.

Before the first check, 生意参谋's CSV of the weeks before (GBK, as it downloads); before
the second, the last week's CSV: the week's bounce rate is high (a page-health warning)
and yesterday's conversion fell, so the day ends well below its target.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta
from pathlib import Path

CONFIG = """
[own]
exports = "exports"

[targets]
year = 1900000
weekdays = [1, 1, 1, 1, 1, 1.2, 1.2]
"""
HEADER = ["统计日期", "访客数", "浏览量", "支付金额", "支付买家数", "支付转化率", "客单价",
          "跳失率", "人均浏览量", "老买家数"]


def _row(day: date, bounce: float, conversion: float) -> list[str]:
    weekend = day.weekday() >= 5
    visitors = (1250 if weekend else 1040) + (day.day % 5) * 12
    buyers = round(visitors * conversion)
    order_value = 98.0 + (day.day % 3)
    depth = 3.1 - (bounce - 0.5)
    return [day.isoformat(), str(visitors), str(round(visitors * depth)),
            f"{buyers * order_value:.2f}", str(buyers), f"{buyers / visitors:.2%}",
            f"{order_value:.2f}", f"{bounce:.2%}", f"{depth:.2f}", str(round(buyers * 0.3))]


def _write(folder: Path, name: str, first: date, last: date, high_from: date,
           yesterday: date, mtime: float) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["【生意参谋平台】店铺-整体看板-日报"])
    writer.writerow([f"统计时间：{first} ~ {last}"])
    writer.writerow([])
    writer.writerow(HEADER)
    day = first
    while day <= last:
        writer.writerow(_row(day, 0.76 if day >= high_from else 0.52,
                             0.031 if day == yesterday else 0.052))
        day += timedelta(days=1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(out.getvalue().encode("gbk"))
    os.utime(path, (mtime, mtime))


def write_exports(folder: Path, today: date, *, latest: bool, mtime: float) -> None:
    """The exports as they stand a week before `today` (`latest` false), or this morning.

    The high bounce starts on the Monday of the week that the last export completes, so
    that week alone fails the rule, whatever weekday `today` is.
    """
    week_ago = today - timedelta(days=7)
    last_sunday = today - timedelta(days=today.weekday() + 1)
    high_from = last_sunday - timedelta(days=6)
    if latest:
        _write(folder, f"店铺整体日报_{week_ago:%m%d}-{today - timedelta(days=1):%m%d}.csv",
               week_ago, today - timedelta(days=1), high_from, today - timedelta(days=1),
               mtime)
    else:
        _write(folder, f"店铺整体日报_{today - timedelta(days=42):%m%d}-{week_ago:%m%d}.csv",
               today - timedelta(days=42), week_ago - timedelta(days=1), high_from,
               today - timedelta(days=1), mtime)
