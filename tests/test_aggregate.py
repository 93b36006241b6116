"""Aggregation over units: only final reports, sums where a sum means something, mean/min/max for
percentages, and what is not a number ("không có số liệu", a draft's empty field) never counted."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import aggregate
from generator.validate import check_all

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "submissions").glob("*.yaml"))
PERIOD = (2016, 2017, 2018, 2019, 2020)


def _units(datas: dict[str, dict[str, Any]] | None = None) -> list[aggregate.Unit]:
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    if datas is None:
        result = check_all(ROOT / "campaign.yaml", SAMPLES)
        assert result.ok
        subs = [(p, f.data or {}, f.problems) for p, f in zip(SAMPLES, result.files)]
    else:
        subs = [(ROOT / "submissions" / f"{k}.yaml", d, []) for k, d in datas.items()]
    return aggregate.units_from(campaign, subs, ROOT)


def _sample_data(finals_only: bool = True) -> dict[str, dict[str, Any]]:
    datas = (yaml.safe_load(p.read_text(encoding="utf-8")) for p in SAMPLES)
    return {d["unit"]["id"]: d for d in datas if d["status"] == "final" or not finals_only}


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


pytestmark = pytest.mark.skipif(not SAMPLES, reason="no sample submissions yet")


def test_samples_cover_a_draft_and_honest_no_data() -> None:
    every = _sample_data(finals_only=False)
    assert any(d["status"] == "draft" for d in every.values())
    assert any(d["appendix_2"]["standing_committee"] == "không áp dụng" for d in every.values())
    assert any(d["appendix_5"]["attraction"]["target"] == "không giao chỉ tiêu" for d in every.values())


def test_status_counts_follow_the_roster_the_deadline_and_the_final_flag() -> None:
    units = _units()
    s = aggregate.status_summary(units)
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    finals = _sample_data()
    drafts = len(_sample_data(finals_only=False)) - len(finals)
    late = sum(str(d["submission_date"]) > campaign["deadline"] for d in finals.values())
    assert (s.expected, s.submitted, s.late, s.draft) == (len(campaign["units"]), len(finals), late, drafts)
    assert s.on_time + s.late + s.draft + s.missing == s.expected
    assert s.rate(s.submitted) == round(100 * len(finals) / len(campaign["units"]), 1)
    assert [u.id for u in units] == [e["id"] for e in campaign["units"]]  # roster order
    draft = next(u for u in units if u.draft)
    assert draft.has_page and not draft.submitted


def test_a_draft_changes_no_district_figure() -> None:
    """An untouched starter, or a draft full of figures, adds nothing anywhere."""
    data = _sample_data()
    before = aggregate.aggregate(_units(data), PERIOD)
    copy = yaml.safe_load(yaml.safe_dump(next(iter(data.values()))))
    copy["status"] = "draft"
    copy["unit"]["id"] = "xa-xuan-tin"
    after = aggregate.aggregate(_units({**data, "xa-xuan-tin": copy}), PERIOD)
    assert after == before


def test_year_rows_are_summed_per_year_and_years_without_data_are_left_out() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    a4 = agg.yearly["appendix_4"]
    for year in PERIOD:
        values = [r["own"]["participants"] for d in data.values() for r in d["appendix_4"] if r["year"] == year]
        numbers = [v for v in values if _num(v)]
        assert a4.rows[year]["own.participants"].total == sum(numbers)
        assert a4.rows[year]["own.participants"].reported == len(numbers)
        assert a4.rows[year]["own.participants"].of == len(data)
    # The unit founded in 2018 wrote "không có số liệu" for 2016: one fewer unit with data.
    assert a4.rows[2016]["district"].reported == len(data) - 1
    assert a4.total["district"].total == sum(
        r["district"] for d in data.values() for r in d["appendix_4"] if _num(r["district"])
    )


def test_percentages_are_averaged_never_summed_and_no_data_is_left_out() -> None:
    data = _sample_data()
    first = next(iter(data))
    data[first]["appendix_5"]["health_insurance_rate"] = "không có số liệu"
    agg = aggregate.aggregate(_units(data), PERIOD)
    st = agg.tables["appendix_5"]["health_insurance_rate"]
    known = [d["appendix_5"]["health_insurance_rate"] for d in data.values()]
    known = [v for v in known if _num(v)]
    assert st.method == "mean" and st.headline == st.mean
    assert (st.reported, st.of) == (len(known), len(data))
    assert st.mean == round(statistics.fmean(known), 1)
    assert (st.min, st.max) == (min(known), max(known))
    counts = agg.tables["appendix_5"]["branch_meetings_attended"]
    assert counts.method == "sum" and counts.headline == sum(
        d["appendix_5"]["branch_meetings_attended"] for d in data.values()
    )


def test_a_figure_no_unit_reported_is_none_not_zero() -> None:
    data = _sample_data()
    for d in data.values():
        d["appendix_5"]["houses"]["funding"] = "không có số liệu"
    agg = aggregate.aggregate(_units(data), PERIOD)
    st = agg.tables["appendix_5"]["houses.funding"]
    assert st.total is None and st.mean is None and st.reported == 0


def test_no_standing_committee_is_left_out_not_zero() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    groups = [d["appendix_2"]["standing_committee"] for d in data.values()]
    counts = [g["count"] for g in groups if isinstance(g, dict)]
    st = agg.tables["appendix_2"]["standing_committee.count"]
    assert (st.total, st.reported, st.of) == (sum(counts), len(counts), len(data))
    assert st.reported < st.of


def test_attraction_target_not_assigned_is_never_reached() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    with_target = [d["appendix_5"]["attraction"] for d in data.values()
                   if _num(d["appendix_5"]["attraction"]["target"])]
    count = agg.targets["appendix_5.attraction"]  # the schema's x-target
    assert count.reported == len(with_target)
    assert count.reached == sum(a["result"] >= a["target"] for a in with_target)
    not_assigned = sum(d["appendix_5"]["attraction"]["target"] == "không giao chỉ tiêu" for d in data.values())
    assert count.not_assigned == not_assigned >= 1
    unit = next(u for u in _units() if u.data and u.data["appendix_5"]["attraction"]["target"] == "không giao chỉ tiêu")
    target = aggregate.indicators(unit, PERIOD)[1]  # x-compare's second column: the target
    assert target.reached is None and not target.assigned


def test_weighted_attraction_rate_is_sum_over_sum() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    pairs = [(d["section_3_2_2"].get("youth_gathered"), d["section_3_2_2"].get("youth_in_area")) for d in data.values()]
    pairs = [(g, y) for g, y in pairs if _num(g) and _num(y)]
    w = agg.rates["Tỷ lệ tập hợp thanh niên toàn huyện"]  # the schema's x-rates
    assert w is not None and w.units == len(pairs) < len(data)
    assert w.percent == round(100 * sum(g for g, _ in pairs) / sum(y for _, y in pairs), 1)


def test_outline_figures_are_summed_by_section() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    members = agg.outline["section_1"]["members"]
    assert (members.total, members.reported) == (sum(d["section_1"]["members"] for d in data.values()), len(data))
    sessions = agg.outline["section_2"]["dissemination_sessions"]
    assert sessions.total == sum(d["section_2"]["dissemination_sessions"] for d in data.values())
    standing = agg.outline["section_1"]["standing_committee_members"]
    known = [d["section_1"]["standing_committee_members"] for d in data.values()]
    assert standing.reported == sum(_num(v) for v in known) == len(data) - 1
    assert agg.outline["section_3_2_3"]["good_fair_meetings_rate"].method == "mean"


def test_indicators_of_one_unit() -> None:
    unit = next(u for u in _units() if u.data is not None and u.id == "xa-xuan-lap")
    d = unit.data
    assert d is not None
    # The columns of the schema's x-compare: members, the target, BHYT, training, supervision.
    members, target, _, training, supervision = aggregate.indicators(unit, PERIOD)
    assert members == d["section_1"]["members"]
    assert (target.target, target.result) == (d["appendix_5"]["attraction"]["target"],
                                              d["appendix_5"]["attraction"]["result"])
    assert training == sum(
        r["province"] + r["district"] + r["own"]["participants"] for r in d["appendix_4"]
    )
    assert supervision == sum(r["supervision"]["sessions"] for r in d["appendix_6"])
