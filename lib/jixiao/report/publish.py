"""Write a run's outputs into place all at once, or not at all.

Outputs are written into a staging folder beside the final one and swapped in only when
the run succeeded, so a failed or interrupted run never leaves a partial report and an
earlier good report stays intact.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from jixiao.paths import PACKAGE_DIR


@contextmanager
def staged_output(final_dir: Path, keep_failed: Path | None = None, preserve: tuple[str, ...] = ()):
    """Yield an empty staging folder; on normal exit it replaces ``final_dir``.

    Parameters
    ----------
    final_dir : Path
        Where the outputs belong (``reports/<township>/<year>``).
    keep_failed : Path, optional
        On an exception, the staging folder is moved here (replacing an older one) so
        the user can inspect what failed, instead of being deleted. ``final_dir`` is
        left untouched either way.
    preserve : tuple of str
        Glob patterns of entries of the old ``final_dir`` that other runs own (a
        key-project report in ``key-*/``): carried into the new folder when the run did
        not write them itself.

    Yields
    ------
    Path
        The staging folder to write into (same filesystem, so the swap is a rename).
    """
    final_dir = Path(final_dir)
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{final_dir.name}.staging-", dir=final_dir.parent))
    try:
        yield stage
    except BaseException:
        if keep_failed is not None:
            shutil.rmtree(keep_failed, ignore_errors=True)
            os.replace(stage, keep_failed)
        else:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    if final_dir.exists():
        for pattern in preserve:
            for entry in final_dir.glob(pattern):
                if not (stage / entry.name).exists():
                    os.replace(entry, stage / entry.name)
    old = None
    if final_dir.exists():
        old = final_dir.parent / f".{final_dir.name}.replaced-{os.getpid()}"
        os.replace(final_dir, old)
    os.replace(stage, final_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@functools.cache
def code_fingerprint(root: Path = PACKAGE_DIR) -> str:
    """Hex SHA-256 of the installed jixiao package (``root``): its code, configuration and templates.

    Recorded in each manifest so that an incremental batch rebuilds a report when any of
    them changed — a new release, but also an edited scoring scheme, template or section
    in a working copy, where the version number stays the same. About 110 files: a few
    milliseconds, once per process.
    """
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, for provenance in the manifest."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()
