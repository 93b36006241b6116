"""What the build publishes for the web editor: the page in the nav and on the how-to page, the
generic schema and rules the CLI reads, and a schema specialised for the campaign (roster ids with
names, the period's years) that the starter file names when the campaign gives the site's address."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import ROOT, run

from generator.load import load_yaml
from generator.schema import CAMPAIGN_SCHEMA, REPORT_SCHEMA


def _build(tmp: Path, site_url: str | None = None) -> Path:
    shutil.copytree(ROOT / "submissions", tmp / "submissions")
    campaign = (ROOT / "campaign.yaml").read_text(encoding="utf-8")
    if site_url:
        campaign += f"site_url: \"{site_url}\"\n"
    (tmp / "campaign.yaml").write_text(campaign, encoding="utf-8")
    r = run("build", "--campaign", tmp / "campaign.yaml", "--submissions", tmp / "submissions",
            "--docs", tmp / "docs", "--site", tmp / "site")
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp / "site"


def test_the_site_publishes_the_editor_and_its_schemas(tmp_path: Path) -> None:
    site = _build(tmp_path)
    page = (site / "nop-truc-tuyen.html").read_text(encoding="utf-8")
    # One bundle and one data file: what the page loads is what editor/dist/ and the build hold.
    assert 'src="assets/editor/editor.min.js"' in page and 'id="ed-app"' in page
    assert (site / "assets" / "editor" / "editor.min.js").read_bytes() == (ROOT / "editor" / "dist" / "editor.min.js").read_bytes()
    data = json.loads((site / "schema" / "editor-data.json").read_text(encoding="utf-8"))
    assert data["schema"] == json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert data["rules"] == (ROOT / "schema" / "rules.yaml").read_text(encoding="utf-8")
    assert 'href="nop-truc-tuyen.html"' in (site / "index.html").read_text(encoding="utf-8")  # in the nav
    assert "nop-truc-tuyen.html" in (site / "cach-gui.html").read_text(encoding="utf-8")
    for name in ("report.schema.json", "rules.yaml", "messages.json"):
        assert (site / "schema" / name).read_bytes() == (ROOT / "schema" / name).read_bytes()
    campaign = yaml.safe_load((ROOT / "campaign.yaml").read_text(encoding="utf-8"))
    special = json.loads((site / "schema" / "bao-cao.schema.json").read_text(encoding="utf-8"))
    assert special["properties"]["unit"]["properties"]["id"]["oneOf"] == [
        {"const": u["id"], "title": u["name"]} for u in campaign["units"]]
    years = list(range(campaign["period"]["start"], campaign["period"]["end"] + 1))
    for appendix in ("appendix_4", "appendix_6"):
        assert special["properties"][appendix]["items"]["properties"]["year"]["enum"] == years
    assert not (site / "assets" / "editor" / "node_modules").exists()


def test_the_starter_names_the_campaign_schema_when_the_site_address_is_known(tmp_path: Path) -> None:
    url = "https://huyen-doan.example.org/tong-ket/"
    (tmp_path / "campaign.yaml").write_text(
        (ROOT / "campaign.yaml").read_text(encoding="utf-8") + f"site_url: \"{url}\"\n", encoding="utf-8")
    assert load_yaml(tmp_path / "campaign.yaml", schema=CAMPAIGN_SCHEMA).data["site_url"] == url
    out = tmp_path / "submissions" / "xa-xuan-hong.yaml"
    out.parent.mkdir()
    r = run("new", "xa-xuan-hong", "--campaign", tmp_path / "campaign.yaml", "--output", out)
    assert r.returncode == 0, r.stdout + r.stderr
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={url}schema/bao-cao.schema.json"
    r = run("validate", "--campaign", tmp_path / "campaign.yaml", out)
    assert r.returncode == 0, r.stdout
    assert load_yaml(out, schema=REPORT_SCHEMA).data["unit"]["id"] == "xa-xuan-hong"
