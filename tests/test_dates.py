"""Dates as written in notices."""

from __future__ import annotations

from datetime import date

import pytest

from policykg.loaders.dates import find_dates, parse_date

CASES = [
    ("2015年7月15日", date(2015, 7, 15)),
    ("2017年05月12日", date(2017, 5, 12)),
    ("2018 年 4 月 4 日", date(2018, 4, 4)),
    ("2017-05-12", date(2017, 5, 12)),
    ("2017-05-12 09:52", date(2017, 5, 12)),
    ("2012-11-30 15:18:43", date(2012, 11, 30)),
    ("2017.5.12", date(2017, 5, 12)),
    ("2017/5/12", date(2017, 5, 12)),
    ("二〇一五年七月十五日", date(2015, 7, 15)),
    ("二○一五年七月十五日", date(2015, 7, 15)),
    ("二〇一七年五月三日", date(2017, 5, 3)),
    ("二○○五年十一月二十一日", date(2005, 11, 21)),
    ("二〇一九年十二月三十一日", date(2019, 12, 31)),
    ("二〇二〇年二月二十九日", date(2020, 2, 29)),
    ("２０１７年５月３日", date(2017, 5, 3)),
    ("２０１７－０５－１２", date(2017, 5, 12)),
    ("2017\u2002\u2002 年\u2002\u2002 11\u2002\u2002 月\u2002\u2002 24\u2002\u2002 日", date(2017, 11, 24)),
    ("二ОО六年六月八日", date(2006, 6, 8)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2015年2月30日",
        "二〇一九年二月三十日",
        "000014349/2019-00004",
        "2015年7月",
        "2015年7月16日印发",
        "",
        "第十三届",
    ],
)
def test_not_a_date(text):
    assert parse_date(text) is None


def test_find_dates_in_running_text():
    text = "厦门市人民政府办公厅\n2015年7月15日\n…已经2019年7月30日市政府第60次常务会议通过，自２０１９年８月２０日起施行。省长\n二○○五年十一月二十一日"
    found = find_dates(text)
    assert [d for d, _ in found] == [
        date(2015, 7, 15),
        date(2019, 7, 30),
        date(2019, 8, 20),
        date(2005, 11, 21),
    ]
    for d, (s, e) in found:
        assert parse_date(text[s:e]) == d


def test_find_dates_skips_index_numbers():
    text = "索引号：000014349/2019-00004 2019-01-30"
    assert find_dates(text) == [(date(2019, 1, 30), (text.index("2019-01"), len(text)))]


@pytest.mark.parametrize("zero", ["〇", "○", "◯", "Ｏ", "O", "О", "零", "0", "０"])
def test_chinese_numeral_year_with_any_zero(zero):
    """二〇三〇年…: the zero may be written with any look-alike character."""
    year = f"二{zero}三{zero}年五月六日"
    assert parse_date(year) == date(2030, 5, 6)
    assert find_dates(f"（联合签章）\n{year}\n") == [(date(2030, 5, 6), (7, 7 + len(year)))]
    assert parse_date(f"二{zero}{zero}九年十二月三十一日") == date(2009, 12, 31)
