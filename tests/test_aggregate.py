"""Aggregation over units: sums where a sum means something, mean/min/max for percentages."""

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


def _sample_data() -> dict[str, dict[str, Any]]:
    return {
        d["unit"]["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in SAMPLES)
    }


pytestmark = pytest.mark.skipif(not SAMPLES, reason="no sample submissions yet")


def test_status_counts_follow_the_roster_and_the_deadline() -> None:
    units = _units()
    s = aggregate.status_summary(units)
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    late = sum(str(d["submission_date"]) > campaign["deadline"] for d in _sample_data().values())
    assert (s.expected, s.submitted, s.late) == (len(campaign["units"]), len(SAMPLES), late)
    assert s.on_time + s.late + s.missing == s.expected
    assert s.rate(s.submitted) == round(100 * len(SAMPLES) / len(campaign["units"]), 1)
    assert [u.id for u in units] == [e["id"] for e in campaign["units"]]  # roster order


def test_year_rows_are_summed_per_year_and_over_the_period() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    a4 = agg.yearly["appendix_4"]
    for year in PERIOD:
        want = sum(
            r["own"]["participants"]
            for d in data.values()
            for r in d["appendix_4"]
            if r["year"] == year
        )
        assert a4.rows[year]["own.participants"].total == want
    assert a4.total["district"].total == sum(
        r["district"] for d in data.values() for r in d["appendix_4"]
    )
    a6 = agg.yearly["appendix_6"]
    assert a6.total["supervision.sessions"].total == sum(
        r["supervision"]["sessions"] for d in data.values() for r in d["appendix_6"]
    )


def test_percentages_are_averaged_never_summed_and_nulls_are_left_out() -> None:
    data = _sample_data()
    first = next(iter(data))
    data[first]["appendix_5"]["health_insurance_rate"] = None
    agg = aggregate.aggregate(_units(data), PERIOD)
    st = agg.tables["appendix_5"]["health_insurance_rate"]
    known = [d["appendix_5"]["health_insurance_rate"] for d in data.values()]
    known = [v for v in known if v is not None]
    assert st.method == "mean" and st.headline == st.mean
    assert st.reported == len(known)
    assert st.mean == round(statistics.fmean(known), 1)
    assert (st.min, st.max) == (min(known), max(known))
    counts = agg.tables["appendix_5"]["branch_meetings_attended"]
    assert counts.method == "sum" and counts.headline == sum(
        d["appendix_5"]["branch_meetings_attended"] for d in data.values()
    )


def test_a_figure_no_unit_reported_is_none_not_zero() -> None:
    data = _sample_data()
    for d in data.values():
        d["appendix_5"]["houses"]["funding"] = None
    agg = aggregate.aggregate(_units(data), PERIOD)
    st = agg.tables["appendix_5"]["houses.funding"]
    assert st.total is None and st.mean is None and st.reported == 0


def test_attraction_target_reached_counts_units() -> None:
    data = _sample_data()
    agg = aggregate.aggregate(_units(), PERIOD)
    reached = sum(
        d["appendix_5"]["attraction"]["result"] >= d["appendix_5"]["attraction"]["target"]
        for d in data.values()
    )
    assert (agg.attraction_reached, agg.attraction_reported) == (reached, len(data))


def test_indicators_of_one_unit() -> None:
    unit = next(u for u in _units() if u.data is not None)
    d = unit.data
    assert d is not None
    ind = aggregate.indicators(unit, PERIOD)
    assert ind.members == d["section_1"]["members"]
    assert ind.training_participants == sum(
        r["province"] + r["district"] + r["own"]["participants"] for r in d["appendix_4"]
    )
    assert ind.supervision_sessions == sum(r["supervision"]["sessions"] for r in d["appendix_6"])
