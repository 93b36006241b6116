"""The plan of a reporting round: the report schema and the rules file its campaign.yaml names.

campaign.yaml may name `report_schema:` and `rules:`, paths relative to the campaign file's
folder. Without them the plan is `schema/report.schema.json` and `schema/rules.yaml` in that
folder, or, where the folder has neither file, the tool's own pair (this project's five-year
review): a campaign copied alone into a folder still builds. A file that is named but cannot be read is an
error in campaign.yaml, at the key that names it.

Everything that reads the outline takes a Plan (loaded once from the campaign) rather than a
global path: validation, the fast path, the starter file, the editor's data, the build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from generator import rules as rules_mod
from generator import verdicts
from generator.load import os_reason
from generator.schema import REPORT_SCHEMA, SCHEMA_DIR, Schema, load_schema

# The keys of campaign.yaml that name the plan's files, and their defaults (relative to it).
KEYS = {"report_schema": f"schema/{REPORT_SCHEMA}", "rules": f"schema/{rules_mod.RULES_FILE}"}


@dataclass(frozen=True)
class Plan:
    """The plan's files, as absolute paths. Hashable: caches and worker processes key on it."""

    report_schema: Path
    rules: Path

    @property
    def schema(self) -> Schema:
        """The parsed report schema (read once per process)."""
        return load_schema(self.report_schema)

    def report_rules(self) -> tuple[rules_mod.Rule, ...]:
        """The cross-field rules of a report (the rules file's `rules:` section)."""
        return rules_mod.load_rules("rules", self.rules)

    def rules_text(self) -> str:
        """The rules file as written (the web editor reads it with its own YAML reader)."""
        return self.rules.read_text(encoding="utf-8")


DEFAULT_PLAN = Plan((SCHEMA_DIR / REPORT_SCHEMA).resolve(), (SCHEMA_DIR / rules_mod.RULES_FILE).resolve())


class PlanError(Exception):
    """A plan file campaign.yaml names cannot be used; `key` is the campaign key that names it."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def plan_paths(campaign_path: Path, campaign: dict[str, Any] | None) -> dict[str, Path]:
    """The plan's files for the campaign file at `campaign_path` with data `campaign` (unchecked).

    A file not named is the default beside the campaign file. The tool's own files stand in only
    as a pair, when neither is named nor beside it: the tool's rules with another plan's schema
    would check fields that plan does not have, so a plan with only one of its files is told to
    name the other (the missing default is then reported)."""
    folder = campaign_path.resolve().parent
    data = campaign or {}
    # A value that is not a path is the campaign schema's to report; the default stands meanwhile.
    named = {k: v.strip() for k in KEYS if isinstance(v := data.get(k), str) and v.strip()}
    out = {k: (folder / named.get(k, default)).resolve() for k, default in KEYS.items()}
    if not named and not any(p.is_file() for p in out.values()):
        return {"report_schema": DEFAULT_PLAN.report_schema, "rules": DEFAULT_PLAN.rules}
    return out


def load_plan(campaign_path: Path, campaign: dict[str, Any] | None,
              cache: verdicts.Cache | None = None) -> Plan:
    """Return the campaign's plan with both files read and checked; raise PlanError otherwise.
    A schema `cache` (the build's) has seen pass the metaschema check is not checked again."""
    paths = plan_paths(campaign_path, campaign)
    plan = Plan(paths["report_schema"], paths["rules"])
    _check_schema(plan.report_schema, cache)
    try:
        plan.report_rules()
    except rules_mod.RulesError as e:
        raise PlanError("rules", str(e)) from e
    return plan


def plan_of_campaign(campaign_path: Path) -> Plan:
    """The plan of the campaign file at `campaign_path`, read on its own (for `new`): the file is
    parsed as YAML only, its other mistakes are `validate`'s to report. Raises PlanError."""
    from generator.load import LoadError, load_yaml
    from generator.schema import CAMPAIGN_SCHEMA

    try:
        data: dict[str, Any] | None = load_yaml(campaign_path, schema=CAMPAIGN_SCHEMA).data
    except (LoadError, OSError):
        data = None  # unreadable: the caller says so in its own words
    return load_plan(campaign_path, data)


def shown(path: Path) -> str:
    """A plan file's path as the user would type it from the current folder, else absolute."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _check_schema(path: Path, cache: verdicts.Cache | None = None) -> None:
    key = "report_schema"
    name = shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PlanError(key, f"không đọc được tệp mẫu báo cáo “{name}”: {os_reason(e)}") from e
    except UnicodeDecodeError as e:
        raise PlanError(key, f"tệp mẫu báo cáo “{name}” không phải văn bản UTF-8") from e
    try:
        doc = json.loads(text)
    except ValueError as e:
        line = getattr(e, "lineno", None)
        where = f" (dòng {line})" if line else ""
        raise PlanError(key, f"tệp mẫu báo cáo “{name}” không phải JSON hợp lệ{where}") from e
    # The metaschema check takes 0.15-0.4 s; a schema that passed it passes it again.
    checked = verdicts.key("metaschema", text) if cache is not None else ""
    if not (cache is not None and cache.get(checked) is True):
        try:
            jsonschema.Draft202012Validator.check_schema(doc)
        except jsonschema.SchemaError as e:
            where = "/".join(str(p) for p in e.absolute_path) or "gốc"
            raise PlanError(key, f"tệp mẫu báo cáo “{name}” không phải JSON Schema hợp lệ (tại {where})") from e
        if cache is not None:
            cache.put(checked, True)
    if not isinstance(doc, dict) or not isinstance(doc.get("properties"), dict):
        raise PlanError(key, f"tệp mẫu báo cáo “{name}” phải là một JSON Schema của đối tượng, có “properties”")
