"""Reading our shop's exports as the platforms write them, or refusing them whole."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.watchers.own.shop import (
    SYCM_HEADER,
    Day,
    days,
    jd_csv,
    shopify_csv,
    sycm_csv,
    sycm_rows,
    sycm_xls,
    sycm_xlsx,
)
from watchers.own.exports import ExportError, read_export

ROWS = [*days(date(2026, 11, 1), 3), Day(date(2026, 11, 4), visitors=1234, conversion=0.0321,
                                         order_value=88.5, bounce=0.612, depth=2.75)]
LAST = ROWS[-1]


def _tsv_in_xls(rows: list[Day]) -> bytes:
    # Taobao's ".xls" downloads are often a GBK tab-separated text with that name.
    lines = ["\t".join(SYCM_HEADER), *("\t".join(r) for r in sycm_rows(rows))]
    return "\r\n".join(lines).encode("gbk")


def _html_in_xls(rows: list[Day]) -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>"
                    for r in sycm_rows(rows))
    head = "".join(f"<th>{h}</th>" for h in SYCM_HEADER)
    return (f'<html><meta charset="utf-8"><table><tr>{head}</tr>{cells}</table></html>'
            ).encode()


LAYOUTS: list[tuple[str, Callable[[list[Day]], bytes], set[str]]] = [
    ("sycm-gbk.csv", sycm_csv, set()),
    ("sycm-utf8.csv", lambda rows: sycm_csv(rows, "utf-8-sig"), set()),
    ("sycm-merged-header.xlsx", sycm_xlsx, set()),
    ("sycm-merged-header.xls", sycm_xls, set()),
    ("jd-shangzhi.csv", jd_csv, {"repeat_buyers"}),
    ("shopify.csv", shopify_csv, {"bounce", "pages_per_visit", "pageviews"}),
    ("taobao-tsv.xls", _tsv_in_xls, set()),
    ("taobao-html.xls", _html_in_xls, set()),
]


@pytest.mark.parametrize(("name", "build", "lacking"), LAYOUTS, ids=[n for n, _, _ in LAYOUTS])
def test_every_layout_reads_the_same_figures(name: str, build: Callable[[list[Day]], bytes],
                                             lacking: set[str]) -> None:
    read = read_export(name, build(ROWS))
    assert [d.day for d in read] == [r.day for r in ROWS]
    last = read[-1]
    assert last.sales == pytest.approx(LAST.sales)
    assert last.visitors == 1234
    assert last.get("conversion") == pytest.approx(0.0321, abs=1e-4)
    assert last.get("order_value") == pytest.approx(88.5, rel=1e-3)
    expected = {"bounce": 0.612, "pages_per_visit": 2.75, "repeat_buyers": 10}
    for figure, value in expected.items():
        if figure in lacking:
            assert getattr(last, figure) is None  # a column the export lacks is not judged
        else:
            assert getattr(last, figure) == pytest.approx(value, rel=1e-3)


def test_operator_column_names_extend_the_built_in_ones() -> None:
    text = sycm_csv(ROWS).decode("gbk").replace("支付金额", "成交额(元)")
    with pytest.raises(ExportError) as refused:
        read_export("renamed.csv", text.encode("gbk"))
    assert refused.value.column == "sales"
    read = read_export("renamed.csv", text.encode("gbk"), {"sales": ("成交额",)})
    assert read[-1].sales == pytest.approx(LAST.sales)


def _cut_line(data: bytes) -> bytes:
    return data.rstrip(b"\r\n").rsplit(b"\r\n", 1)[0][:-30]


BROKEN: list[tuple[str, bytes, str | None]] = [
    ("empty.csv", b"", None),
    ("cut.xlsx", sycm_xlsx(ROWS)[:2500], None),
    ("cut.xls", sycm_xls(ROWS)[:3000], None),
    ("no-day.csv", "访客数,支付金额\r\n100,200\r\n".encode("gbk"), "day"),
    ("no-sales.csv", "统计日期,访客数\r\n2026-11-01,100\r\n".encode("gbk"), "sales"),
    ("header-only.csv", (",".join(SYCM_HEADER) + "\r\n").encode("gbk"), None),
    ("bad-number.csv", sycm_csv(ROWS).replace(b"1234,", b"12x4,"), "访客数"),
    ("bad-day.csv", sycm_csv(ROWS).replace(b"2026-11-04", b"2026-13-45"), "统计日期"),
    ("over-100%.csv", sycm_csv(ROWS).replace(b"61.20%", b"161.20%"), "跳失率"),
    ("negative.csv", sycm_csv(ROWS).replace(b"1234,", b"-1234,"), "访客数"),
    ("half-written.csv", sycm_csv(ROWS)[:-60], None),
]


@pytest.mark.parametrize(("name", "data", "column"), BROKEN, ids=[n for n, _, _ in BROKEN])
def test_an_unreadable_export_is_refused_naming_file_and_column(
        name: str, data: bytes, column: str | None) -> None:
    with pytest.raises(ExportError) as refused:
        read_export(name, data)
    assert refused.value.file == name
    if column is not None:
        assert refused.value.column == column


def test_a_line_cut_short_names_the_first_column_it_lacks() -> None:
    data = sycm_csv(ROWS).decode("gbk").splitlines()
    cut = "\r\n".join([*data[:5], data[5][:len("2026-11-02,1000,3000")]])
    with pytest.raises(ExportError) as refused:
        read_export("cut.csv", cut.encode("gbk"))
    assert refused.value.column == "支付金额"


def test_summary_rows_and_blank_lines_are_not_days() -> None:
    read = read_export("x.csv", sycm_csv(ROWS) + "\r\n平均,1000\r\n\r\n".encode("gbk"))
    assert len(read) == len(ROWS)


def test_a_half_written_xls_is_refused_at_every_length() -> None:
    # Cut after its first 4 KB sector, calamine panics (a BaseException that no `except
    # Exception` stops): read in process, it ended the whole check. Each cut is refused.
    data = sycm_xls(ROWS)
    for cut in range(512, len(data), 640):
        with pytest.raises(ExportError) as refused:
            read_export("half.xls", data[:cut])
        assert refused.value.column is None


@pytest.mark.parametrize("data", [
    pytest.param("统计日期,支付金额\r\n2026-11-01,\"5\r000\r\n".encode("gbk"), id="stray-quote-cr"),
    pytest.param("统计日期,支付金额\r\n\"".encode("gbk") + b"9" * 200_000 + b"\"\r\n",
                 id="field-past-128KB"),
])
def test_text_the_csv_module_refuses_is_refused_as_an_export(data: bytes) -> None:
    with pytest.raises(ExportError):
        read_export("odd.csv", data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["统计日期", "支付金额", "访客数", "跳失率", ",", "\t", "\r", "\n",
                                 "\"", "2026-11-01", "12.5%", "1,234", "-", "<table>", "<tr>",
                                 "<td>", "合计", "\x00", "￥"]), max_size=60),
       st.sampled_from(["utf-8", "gb18030"]))
def test_any_text_is_read_or_refused_as_an_export_never_an_other_error(
        parts: list[str], encoding: str) -> None:
    try:
        days_read = read_export("fuzz.csv", "".join(parts).encode(encoding))
    except ExportError:
        return
    assert all(d.sales >= 0 for d in days_read)
