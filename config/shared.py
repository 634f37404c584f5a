"""Where the project's shared data lives (the seed pages, recorded Crossref answers and gold data):
$SHARED_DIR, else the checkout's ../shared. The Makefile finds it for a clone made elsewhere."""

import os
from pathlib import Path


def shared_dir() -> Path:
    return Path(os.environ.get("SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
