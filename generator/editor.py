"""The web editor in the site: its bundle, its modules, and the data it reads.

The editor (editor/src/, plain ES modules; served as one minified bundle, editor/dist/, which
`make editor-vendor` rebuilds) reads at run time the very texts the CLI reads: the report
schema and rules the campaign names (generator/plan.py) and schema/messages.json, all in one
file, schema/editor-data.json, with what comes from the campaign: the roster and period, the
district's contact and the unit report's letterhead wording. The build also publishes those files one by one, and a report
schema specialised for the campaign (unit ids with their names, the period's years), which the
starter files' `yaml-language-server` line names.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from generator import rules as rules_mod
from generator.documents.letterhead import (
    DEPUTY_LINE,
    DEPUTY_PREFIX,
    ON_BEHALF_EXECUTIVE,
    ON_BEHALF_STANDING,
    letterhead,
    standing_counts,
)
from generator.plan import DEFAULT_PLAN, Plan
from generator.resources import EDITOR_DIR
from generator.schema import REPORT_SCHEMA, SCHEMA_DIR, Schema

# Where the site publishes the schemas and the editor's data, and the campaign's schema's name.
SITE_SCHEMA_DIR = "schema"
CAMPAIGN_REPORT_SCHEMA = "bao-cao.schema.json"
# The plan's files are published under these names whatever they are called in the repository.
RULES_NAME = rules_mod.RULES_FILE
MESSAGES = "messages.json"


def yearly_lists(plan: Plan = DEFAULT_PLAN) -> dict[str, str]:
    """Top-level lists with one row per year of the period, and the row's year field.

    Read from the `one_each … period_years` rules of the plan's rules, as the starter does.
    """
    out = {}
    for rule in plan.report_rules():
        if rule.operator == "one_each" and rule.right == "period_years" and "[*]." in rule.left:
            name, _, key = rule.left.partition("[*].")
            out[name] = key
    return out


def _years(campaign: dict[str, Any]) -> list[int]:
    period = campaign.get("period") or {}
    start, end = period.get("start"), period.get("end")
    return list(range(start, end + 1)) if isinstance(start, int) and isinstance(end, int) else []


def site_url(campaign: dict[str, Any]) -> str | None:
    """The published site's address from campaign.yaml (`site_url`), with one trailing slash."""
    url = campaign.get("site_url")
    return url.rstrip("/") + "/" if isinstance(url, str) and url.strip() else None


def schema_url(campaign: dict[str, Any], generic: str) -> str:
    """The `$schema` a report file names: the campaign's published schema, else `generic`."""
    base = site_url(campaign)
    return f"{base}{SITE_SCHEMA_DIR}/{CAMPAIGN_REPORT_SCHEMA}" if base else generic


def campaign_schema(campaign: dict[str, Any], plan: Plan = DEFAULT_PLAN) -> Schema:
    """The plan's report schema with the campaign's roster (ids with names) and the period's years."""
    schema = copy.deepcopy(plan.schema)
    base = site_url(campaign)
    schema["$id"] = f"{base}{SITE_SCHEMA_DIR}/{CAMPAIGN_REPORT_SCHEMA}" if base else CAMPAIGN_REPORT_SCHEMA
    name = campaign.get("site_name")
    if isinstance(name, str) and name:
        schema["title"] = f"{schema.get('title', '')} — {name}"
    units = [u for u in campaign.get("units") or [] if isinstance(u, dict) and isinstance(u.get("id"), str)]
    unit_id = schema["properties"]["unit"]["properties"]["id"]
    unit_id["oneOf"] = [{"const": u["id"], "title": str(u.get("name", u["id"]))} for u in units]
    years = _years(campaign)
    for name_, key in yearly_lists(plan).items():
        items = schema["properties"][name_]["items"]
        items["properties"][key]["enum"] = years
    return schema


def submissions_schema_path(plan: Plan, folder: Path | None) -> str:
    """How a report in the campaign's submissions/ names the plan's schema (a relative path), when
    the schema is in the campaign's folder; else as a repository of the tool has it."""
    if folder is not None:
        try:
            inside = plan.report_schema.relative_to(folder.resolve())
        except ValueError:
            pass
        else:
            return "../" + inside.as_posix()
    return f"../schema/{REPORT_SCHEMA}"


def campaign_facts(campaign: dict[str, Any], generic_schema: str = f"../schema/{REPORT_SCHEMA}") -> dict[str, Any]:
    """What the editor needs of the campaign: roster, period, deadline, repository, schema line.

    `generic_schema`: how a file in submissions/ reaches the plan's schema (submissions_schema_path)."""
    repo = campaign.get("repository") or {}
    return {
        "site_name": campaign.get("site_name"),
        "period": campaign.get("period"),
        "deadline": campaign.get("deadline"),
        # The unit's own place (roster `place:`) dates its printed copy, as its Word file.
        "units": [{"id": u.get("id"), "name": u.get("name"), "kind": u.get("kind"),
                   "place": u.get("place")}
                  for u in campaign.get("units") or [] if isinstance(u, dict)],
        "repository": {"url": repo.get("url"), "branch": repo.get("branch", "main")} if repo.get("url") else None,
        # A file in submissions/ of the repository reaches the generic schema at this path.
        "schema_url": schema_url(campaign, generic_schema),
        "reviewing_organisation": campaign.get("reviewing_organisation"),
        # Where a unit sends its file (optional in campaign.yaml): shown on Hoàn tất.
        "contact": campaign.get("contact"),
        # The unit report's header and signature wording, as its Word file has them ("Bản in").
        "letterhead": _unit_letterhead(campaign),
    }


def _unit_letterhead(campaign: dict[str, Any]) -> dict[str, Any]:
    lh = letterhead(campaign)
    return {
        "unit_superior": lh.unit_superior,
        "number": lh.number_line(False),
        "place": lh.place,
        "subject": lh.subject,
        "motto": lh.motto,
        "unit_recipients": lh.unit_recipients,
        # Who the unit signs for, as its Word file says it (generator/documents/letterhead.py).
        "signature": {
            "standing_counts": [list(p) for p in standing_counts()],
            "standing": ON_BEHALF_STANDING,
            "executive": ON_BEHALF_EXECUTIVE,
            "deputy_prefix": DEPUTY_PREFIX,
            "deputy_line": DEPUTY_LINE,
        },
    }


def editor_data(campaign: dict[str, Any], special: Schema, plan: Plan = DEFAULT_PLAN,
                generic_schema: str = f"../schema/{REPORT_SCHEMA}") -> dict[str, Any]:
    """All the page reads at start, in one file (one request on a slow phone): the plan's report
    schema, its rules file as its text (the page reads it with its own YAML reader, as the CLI
    reads the file), the messages, the campaign's facts, and the roster and years of the
    campaign's schema.
    """
    unit_id = special["properties"]["unit"]["properties"]["id"]
    yearly = yearly_lists(plan)
    name, key = next(iter(yearly.items())) if yearly else (None, None)
    years = special["properties"][name]["items"]["properties"][key]["enum"] if name else []
    return {
        "schema": plan.schema,
        "rules": plan.rules_text(),
        "messages": json.loads((SCHEMA_DIR / MESSAGES).read_text(encoding="utf-8")),
        "campaign": campaign_facts(campaign, generic_schema),
        "roster": unit_id["oneOf"],
        "years": years,
    }


def editor_files(campaign: dict[str, Any], plan: Plan = DEFAULT_PLAN, folder: Path | None = None) -> dict[str, bytes]:
    """Every file the editor page needs, keyed by path under docs/.

    The page loads the bundle (editor/dist/, built by `npm run vendor` in editor/) and
    schema/editor-data.json; the modules it is built from are published beside it for reading.
    `plan` is the campaign's plan, `folder` the campaign file's folder.
    """
    files: dict[str, bytes] = {}
    for path in sorted((EDITOR_DIR / "src").glob("*.js")):
        files[f"assets/editor/src/{path.name}"] = path.read_bytes()
    vendor = EDITOR_DIR / "vendor"
    for path in sorted(vendor.rglob("*")):
        if path.is_file():
            files[f"assets/editor/vendor/{path.relative_to(vendor).as_posix()}"] = path.read_bytes()
    for path in sorted((EDITOR_DIR / "dist").glob("*")):
        files[f"assets/editor/{path.name}"] = path.read_bytes()
    files[f"{SITE_SCHEMA_DIR}/{REPORT_SCHEMA}"] = plan.report_schema.read_bytes()
    files[f"{SITE_SCHEMA_DIR}/{RULES_NAME}"] = plan.rules.read_bytes()
    files[f"{SITE_SCHEMA_DIR}/{MESSAGES}"] = (SCHEMA_DIR / MESSAGES).read_bytes()
    generic = submissions_schema_path(plan, folder)

    def dump(doc: Any, indent: int | None = 1) -> bytes:
        return (json.dumps(doc, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")

    special = campaign_schema(campaign, plan)
    files[f"{SITE_SCHEMA_DIR}/{CAMPAIGN_REPORT_SCHEMA}"] = dump(special)
    files[f"{SITE_SCHEMA_DIR}/campaign.json"] = dump(campaign_facts(campaign, generic))
    files[f"{SITE_SCHEMA_DIR}/editor-data.json"] = dump(editor_data(campaign, special, plan, generic), None)
    return files
