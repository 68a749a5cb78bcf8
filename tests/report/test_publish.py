"""Staged outputs: all or nothing, and a failure never touches the previous report."""

import pytest

from jixiao.report.publish import sha256, staged_output


def _ours(final):
    """Mark ``final`` as a folder an earlier run wrote (publishing replaces only those)."""
    (final / "manifest.json").write_text('{"jixiao_version": "0"}')


def test_success_replaces_previous(tmp_path):
    final = tmp_path / "reports" / "x" / "2023"
    final.mkdir(parents=True)
    (final / "report.html").write_text("old")
    _ours(final)
    with staged_output(final) as stage:
        (stage / "report.html").write_text("new")
        assert (final / "report.html").read_text() == "old"  # untouched while running
    assert (final / "report.html").read_text() == "new"
    assert sorted(p.name for p in final.parent.iterdir()) == ["2023"]  # no staging leftovers


def test_failure_keeps_previous_and_stores_failed(tmp_path):
    final = tmp_path / "2023"
    final.mkdir()
    (final / "report.html").write_text("good")
    _ours(final)
    failed = tmp_path / "2023.failed"
    with pytest.raises(RuntimeError):
        with staged_output(final, keep_failed=failed) as stage:
            (stage / "section.ipynb").write_text("half")
            raise RuntimeError("section broke")
    assert (final / "report.html").read_text() == "good"
    assert (failed / "section.ipynb").read_text() == "half"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023", "2023.failed"]


def test_failure_without_keep_leaves_nothing(tmp_path):
    final = tmp_path / "2023"
    with pytest.raises(KeyboardInterrupt):
        with staged_output(final) as stage:
            (stage / "a").write_text("x")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_sha256(tmp_path):
    f = tmp_path / "f"
    f.write_bytes(b"abc")
    assert sha256(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_preserved_entries_survive_a_rerun(tmp_path):
    final = tmp_path / "2023"
    (final / "key-road").mkdir(parents=True)
    (final / "key-road" / "report.html").write_text("key project")
    (final / "report.html").write_text("old")
    _ours(final)
    with staged_output(final, preserve=("key-*",)) as stage:
        (stage / "report.html").write_text("new")
    assert (final / "report.html").read_text() == "new"
    assert (final / "key-road" / "report.html").read_text() == "key project"


def test_preserved_entries_stay_put_when_the_run_fails(tmp_path):
    final = tmp_path / "2023"
    (final / "key-road").mkdir(parents=True)
    with pytest.raises(RuntimeError):
        with staged_output(final, preserve=("key-*",)):
            raise RuntimeError
    assert (final / "key-road").is_dir()


def test_code_fingerprint_covers_code_configuration_and_templates(tmp_path, monkeypatch):
    """The fingerprint changes with any file of the package (not with caches), so an
    incremental batch notices an edited scheme or template in a working copy."""
    import shutil

    from jixiao.paths import PACKAGE_DIR
    from jixiao.report import publish

    pkg = tmp_path / "jixiao"
    shutil.copytree(PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))

    def fingerprint() -> str:
        publish.code_fingerprint.cache_clear()
        return publish.code_fingerprint(pkg)

    base = fingerprint()
    assert len(base) == 64 and fingerprint() == base
    (pkg / "__pycache__").mkdir(exist_ok=True)
    (pkg / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert fingerprint() == base  # caches do not count
    scheme = pkg / "schemes" / "national.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint() != base
    publish.code_fingerprint.cache_clear()
