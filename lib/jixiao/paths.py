"""Where jixiao's own files are: package data and, in a working copy, the repository.

One place for every path the code needs, so that no module works it out from its own
``__file__`` (which changes when a module moves).
"""

from __future__ import annotations

from pathlib import Path

#: The installed package (``lib/jixiao`` in a working copy).
PACKAGE_DIR = Path(__file__).resolve().parent
#: Formats, classifications, aliases and report structure (YAML, validated on load).
CONFIG_DIR = PACKAGE_DIR / "config"
#: Project self-evaluation scoring schemes (``national``, ``regional``).
SCHEMES_DIR = PACKAGE_DIR / "schemes"
#: The nbconvert report templates, section narrative templates and the roll-up page.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: The repository of a working copy (``lib/jixiao`` → the repository root).
REPO_ROOT = PACKAGE_DIR.parents[1]
#: The section notebooks of a working copy (township; key projects in ``key_project/``).
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def config_file(name: str) -> Path:
    """A file of ``config/`` by name (``"workbook.yaml"``)."""
    return CONFIG_DIR / name
