"""The tool installs whole: a wheel built from the project, installed in a fresh venv, validates and
builds a campaign in a folder that is not the repository, with no checkout on the path.

The wheel is built from a copy of the project's files (not in place: no build/ or egg-info in the
checkout), with pip's build isolation, and installed with its dependencies from the package
index, through pip's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
from conftest import ROOT
from docx import Document

# What the wheel is built from: the project's files, without node_modules or caches.
PROJECT = ("pyproject.toml", "README.md", "mkdocs.yml", "generator", "schema", "site_templates", "editor")
UNITS = ("xa-xuan-lap", "thpt-le-loi")


def _run(*args: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: the installed package, not the checkout, must be what runs.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_STEP_SUMMARY", "VIRTUAL_ENV")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, check=False)


def test_the_wheel_validates_and_builds_a_campaign_outside_the_repository(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in PROJECT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
        else:
            shutil.copy(src, source / name)
    r = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path / "dist", source, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = (tmp_path / "dist").glob("tongket-*.whl")

    venv = tmp_path / "venv"
    r = _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    python = venv / "bin" / "python"
    r = _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    r = _run(python, "-c", "import generator.resources as r; print(r.IN_SOURCE, r.DATA)", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"False {venv}"), r.stdout  # the installed files, not the checkout's

    work = tmp_path / "dot-bao-cao"
    (work / "submissions").mkdir(parents=True)
    shutil.copy(ROOT / "campaign.yaml", work / "campaign.yaml")
    for unit in UNITS:
        shutil.copy(ROOT / "submissions" / f"{unit}.yaml", work / "submissions" / f"{unit}.yaml")

    # From the campaign's folder, with no argument: campaign.yaml and submissions/ there.
    r = _run(python, "-m", "generator", "validate", cwd=work)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Đã kiểm tra 3 tệp: 0 lỗi" in r.stdout

    # From another folder, with --campaign: everything is written beside the campaign file.
    r = _run(python, "-m", "generator", "build", "--campaign", Path(work.name) / "campaign.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    site = work / "site"
    for unit in UNITS:
        page = (site / "don-vi" / f"{unit}.html").read_text(encoding="utf-8")
        assert "Đoàn xã Xuân Lập" in page or "Đoàn trường THPT Lê Lợi" in page
    assert (site / "assets" / "site.css").is_file()
    assert (site / "assets" / "editor" / "editor.min.js").is_file()
    assert (site / "schema" / "editor-data.json").is_file()
    assert (site / "pagefind").is_dir()

    # The Word and Excel downloads, opened by the libraries that read them.
    downloads = site / "tai-ve"
    unit_doc = Document(str(downloads / "word" / "xa-xuan-lap.docx"))
    assert any("Xuân Lập" in p.text for p in unit_doc.paragraphs)
    district = Document(str(downloads / "du-thao-bao-cao-tong-ket.docx"))
    assert any(p.text.strip() for p in district.paragraphs)
    book = openpyxl.load_workbook(downloads / "phu-luc.xlsx", read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    book.close()
    assert "Đoàn xã Xuân Lập" in cells and "Đoàn trường THPT Lê Lợi" in cells
