"""Seed pages for the importer unit tests (no Django, no database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from config.shared import shared_dir
from references.importers import SourceRecord, decode_page, parse_page


def seeds_dir() -> Path:
    return shared_dir() / "seeds"


def read_seed(name_prefix: str) -> bytes:
    matches = sorted(seeds_dir().glob(f"{name_prefix}*"))
    assert len(matches) == 1, f"expected one seed named {name_prefix}*, found {matches}"
    return matches[0].read_bytes()


def parse_bytes(data: bytes) -> SourceRecord:
    return parse_page(decode_page(data))


@pytest.fixture
def seed_bytes() -> Callable[[str], bytes]:
    """seed_bytes("000") -> the bytes of shared/seeds/000_*.txt"""
    return read_seed


@pytest.fixture
def seed_text(seed_bytes) -> Callable[[str], str]:
    return lambda name_prefix: seed_bytes(name_prefix).decode("utf-8")


@pytest.fixture
def seed_record(seed_bytes) -> Callable[[str], SourceRecord]:
    return lambda name_prefix: parse_bytes(seed_bytes(name_prefix))
