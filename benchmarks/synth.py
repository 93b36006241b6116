"""Make N realistic synthetic submissions (copies of the shipped samples under new unit ids)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(n: int, out: Path) -> tuple[Path, Path]:
    """Write N submissions and a campaign listing them into `out`; return (campaign, submissions dir).

    Each file is a full sample with its unit id, name and figures varied, so every file is as
    large as a real report and every file is valid.
    """
    samples = sorted((ROOT / "submissions").glob("*.yaml"))
    if not samples:
        raise SystemExit("no sample submissions in submissions/ to copy")
    texts = [p.read_text(encoding="utf-8") for p in samples]
    sub_dir = out / "submissions"
    sub_dir.mkdir(parents=True, exist_ok=True)
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    units = []
    for i in range(n):
        src_i = i % len(texts)
        text = texts[src_i]
        old_id = samples[src_i].stem
        new_id = f"don-vi-{i:05d}"
        text = re.sub(rf"\bid: \"?{re.escape(old_id)}\"?(?=\s)", f"id: {new_id}", text, count=1)
        # Vary narrative text a little so files are not byte-identical.
        text = text.replace("Đoàn viên", f"Đoàn viên ({i})", 1)
        (sub_dir / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        kind = yaml.load(text, Loader=yaml.CSafeLoader)["unit"]["kind"]
        units.append({"id": new_id, "name": f"Đơn vị {i}", "kind": kind, "editors": []})
    campaign["units"] = units
    campaign_path = out / "campaign.yaml"
    campaign_path.write_text(yaml.safe_dump(campaign, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return campaign_path, sub_dir
