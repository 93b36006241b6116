"""Charts that read on a phone (issue 20): a % axis that fits its data and says so."""

from __future__ import annotations

import re

from generator import charts


def test_a_percent_axis_is_0_to_100_unless_the_data_sit_in_a_narrow_band() -> None:
    assert charts.percent_axis([40.6, 72.4, 96.6, 100]) == (0.0, 100.0, True)
    assert charts.percent_axis([5, 12]) == (0.0, 100.0, True)
    low, high, whole = charts.percent_axis([88.5, 91.2, 96.6])
    assert (low, high, whole) == (80.0, 100.0, False)
    assert charts.percent_axis([]) == (0.0, 100.0, True)


def test_a_narrow_band_is_drawn_from_its_low_end_and_said_on_the_axis() -> None:
    rows: list[tuple[str, float | str | None, float | str | None]] = [
        ("Đoàn A", 88.5, 85), ("Đoàn B", 96.6, 90), ("Đoàn C", "Không có số liệu", 90),
    ]
    for narrow in (False, True):
        svg = str(charts.target_bars("T", rows, "Kết quả", "Chỉ tiêu", narrow=narrow))
        assert "Trục tỷ lệ từ 80% đến 100% (không bắt đầu từ 0)" in svg
        ticks = re.findall(r">(\d+)%</text>", svg)
        assert ticks[0] == "80" and ticks[-1] == "100", ticks
        assert "Không có số liệu" in svg  # said in words, never a bar
        # 88.5 on an 80–100 axis is under half the plot; 96.6 most of it.
        widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="1[68]"', svg)]
        assert len(widths) == 2 and widths[0] < widths[1] * 0.6, widths


def test_the_phone_form_of_a_yearly_chart_is_360_wide_with_12_px_labels() -> None:
    series = [charts.Series("Giám sát", (1.0, 2.0, None)), charts.Series("Đối thoại", (3.0, 4.0, 5.0))]
    svg = str(charts.grouped_hbars("T", ["2016", "2017", "2018"], series))
    assert 'viewBox="0 0 360 ' in svg
    assert 'font-size="11"' not in svg and 'font-size="12"' in svg
    assert svg.count("<rect") == 2 + 6  # the legend, then a bar per year and series
    assert ">—</text>" in svg  # no figure: a dash, not a zero


def test_chart_numbers_are_written_as_on_pages_without_float_noise_or_exponent() -> None:
    """Bars, their labels and the chart's table write a number as pages do (generator/numbers.py):
    every decimal the unit wrote, grouped the Vietnamese way; never 1234567.8899999999, 1e-05 or a
    decimal rounded away (issue 16)."""
    from generator.numbers import number

    values = (1234567.89, 999999999.99, 0.00001, 0.1 + 0.2, 78.55, 1536.0)
    series = [charts.Series("Kinh phí", values)]
    cats = [f"Năm {i}" for i in range(len(values))]
    for svg in (str(charts.grouped_bars("T", cats, series)), str(charts.grouped_hbars("T", cats, series)),
                str(charts.data_table("T", ["Năm", "Kinh phí"], [[c, v] for c, v in zip(cats, values)]))):
        for shown in ("1.234.567,89", "999.999.999,99", "0,00001", "0,3", "78,55", "1.536"):
            assert f">{shown}<" in svg, (shown, svg[:300])
        texts = " ".join(re.findall(r">([^<]*)<", svg))
        assert not re.search(r"\d[eE][-+]?\d|8899999|9900000|0000000004", texts), texts
    assert [number(v) for v in values] == ["1.234.567,89", "999.999.999,99", "0,00001", "0,3", "78,55", "1.536"]
