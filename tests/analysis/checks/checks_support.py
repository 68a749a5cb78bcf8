"""Finding the findings of one check (and of one cell) in a run's findings.

Imported by the ``test_checks_*`` modules of this folder (pytest puts a test's folder on
``sys.path``; the folder has no ``__init__.py``).
"""

from __future__ import annotations


def of(findings, check_id):
    found = [f for f in findings if f.id == check_id]
    assert found, f"no finding for {check_id}"
    return found


def one(findings, check_id):
    found = of(findings, check_id)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def at_cell(findings, check_id, cell):
    hits = [f for f in of(findings, check_id) if cell in f.cells]
    assert len(hits) == 1, (check_id, cell, [f.cells for f in of(findings, check_id)])
    return hits[0]
