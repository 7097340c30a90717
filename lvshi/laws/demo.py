"""The library's demo texts (``lvshi/laws/data``: 律师法, 刑事诉讼法,
民事诉讼法, 法律援助法 and parts of 民法典), loaded by ``seed_demo``.
Importing is idempotent: unchanged files are skipped."""

from __future__ import annotations

from pathlib import Path

from .services import import_dir

DATA = Path(__file__).resolve().parent / "data"


def seed_library(orgs, users) -> int:
    report = import_dir(DATA)
    return report.created + report.updated
