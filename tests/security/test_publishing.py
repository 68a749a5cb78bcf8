"""Publishing replaces only what jixiao wrote, one run at a time, and cleans up after dead runs.

The fast tests drive :func:`jixiao.report.pipeline.build_and_publish` — the path every
``jixiao run``, ``jixiao evaluate`` and batch township takes — with a fake build in place
of the kernel and the notebooks (it writes what a run writes: ``sections/``, the report,
the manifest). One slow test terminates a real ``jixiao run``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from jixiao.cli import main
from jixiao.exceptions import JixiaoError, SectionFailure
from jixiao.report import pipeline
from jixiao.report.publish import FAILED_NOTE, NotOurFolder, OutputBusy

from support import EXAMPLE_PARAMS, EXAMPLE_XLSX, ROOT, portable

# What a failed run must not leave behind: files that pass for the report.
LOOK_ALIKES = ("report.html", "report.pdf", "report.docx", "review.html", "review.pdf", "manifest.json")


@pytest.fixture
def fake_run(monkeypatch):
    """Make build_and_publish run without a kernel: the build writes a report's files,
    optionally sleeping (``pause``) or failing (``fail``); ``spans`` records when each ran."""
    state = {"pause": 0.0, "fail": False, "spans": []}

    @contextmanager
    def no_kernel(cwd):  # noqa: ARG001
        yield None

    def build(stage, sections, params_path, meta, fmts, **kw):  # noqa: ARG001
        t0 = time.monotonic()
        (stage / "sections").mkdir()
        (stage / "sections" / "01_basic.ipynb").write_text("{}", encoding="utf-8")
        for name in ("report.html", "report.pdf", "report.docx", "review.html"):
            (stage / name).write_text(f"new {name}", encoding="utf-8")
        time.sleep(state["pause"])
        state["spans"].append((t0, time.monotonic()))
        if state["fail"]:
            raise SectionFailure("基本情况", "ValueError: boom", str(stage / "sections" / "01_basic.ipynb"))
        return [], {}, {"html": {"file": "report.html"}}

    monkeypatch.setattr("jixiao.report.execute.shared_kernel", no_kernel)
    monkeypatch.setattr("jixiao.export.formats.check_renderers", lambda fmts: None)
    monkeypatch.setattr(pipeline, "build_in_stage", build)
    return state


def _finish(stage, results, res, outputs):  # noqa: ARG001
    (stage / "manifest.json").write_text(json.dumps({"jixiao_version": "test", "kind": "township"}), encoding="utf-8")


def publish(final: Path, tmp_path: Path, **kw):
    """build_and_publish of ``final`` the way a township run calls it."""
    params = tmp_path / "params.yaml"
    if not params.exists():
        params.write_text("township: t\n", encoding="utf-8")
    sections = [("基本情况", ROOT / "notebooks" / "01_basic.ipynb")]
    kw.setdefault("preserve", ("key-*",))
    return pipeline.build_and_publish(final, sections, params, {}, ["html"], finish=_finish, **kw)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_user_file_in_the_output_folder_is_refused_and_kept(tmp_path, fake_run):
    final = tmp_path / "reports" / "t" / "2023"
    final.mkdir(parents=True)
    (final / "我的笔记.docx").write_bytes(b"user data")
    (final / "report.html").write_text("old", encoding="utf-8")
    before = snapshot(tmp_path / "reports")
    with pytest.raises(NotOurFolder) as info:
        publish(final, tmp_path)
    assert isinstance(info.value, JixiaoError) and info.value.exit_code == 2
    assert "我的笔记.docx" in str(info.value) and str(final) in str(info.value)
    assert snapshot(tmp_path / "reports") == before  # the user's file is there, nothing written
    assert sorted(p.name for p in final.parent.iterdir()) == ["2023"]  # no lock, stage or .failed
    assert fake_run["spans"] == []  # refused before anything ran


def test_foreign_entries_are_listed_at_most_ten(tmp_path, fake_run):
    final = tmp_path / "2023"
    final.mkdir()
    for i in range(25):
        (final / f"u{i:02}.txt").write_text("x", encoding="utf-8")
    with pytest.raises(NotOurFolder) as info:
        publish(final, tmp_path)
    msg = str(info.value)
    assert "u09.txt" in msg and "u10.txt" not in msg and "25" in msg
    assert len(list(final.iterdir())) == 25


def test_file_not_listed_in_the_manifest_is_refused(tmp_path, fake_run):
    final = tmp_path / "2023"
    publish(final, tmp_path)  # ours now: its manifest lists its files
    (final / "sections" / "我的.ipynb").write_text("mine", encoding="utf-8")
    with pytest.raises(NotOurFolder, match="sections/我的.ipynb"):
        publish(final, tmp_path)
    assert (final / "sections" / "我的.ipynb").read_text(encoding="utf-8") == "mine"


def test_workbook_inside_the_output_folder_is_refused_by_the_cli(tmp_path, capsys):
    """The issue's case: the workbook in reports/<t>/<year>/ — `jixiao run` exited 0 and it was gone."""
    out = tmp_path / "reports" / "dongshiduan" / "2023"
    out.mkdir(parents=True)
    wb = out / EXAMPLE_XLSX.name
    shutil.copy(EXAMPLE_XLSX, wb)
    raw = portable(EXAMPLE_PARAMS)
    raw.update(workbook=str(wb), output_dir=str(tmp_path / "reports"))
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert main(["run", str(params)]) == 2
    err = capsys.readouterr().err
    assert str(wb) in err.replace("\n", "") and "输出目录" in err
    assert wb.read_bytes() == EXAMPLE_XLSX.read_bytes()  # the input is intact
    assert sorted(p.name for p in out.iterdir()) == [wb.name]  # nothing written
    assert sorted(p.name for p in out.parent.iterdir()) == ["2023"]


def test_parameters_file_inside_the_output_folder_is_refused(tmp_path, fake_run):
    final = tmp_path / "2023"
    publish(final, tmp_path)
    params = final / "params.yaml"
    params.write_text("township: t\n", encoding="utf-8")
    with pytest.raises(NotOurFolder, match="params.yaml"):
        pipeline.build_and_publish(final, [("基本情况", ROOT / "notebooks" / "01_basic.ipynb")], params, {}, ["html"])
    assert params.read_text(encoding="utf-8") == "township: t\n"


def test_a_previous_run_is_replaced_and_key_projects_kept(tmp_path, fake_run):
    final = tmp_path / "reports" / "t" / "2023"
    # A folder written before manifests listed their files: recognised by its names.
    (final / "sections").mkdir(parents=True)
    (final / "sections" / "01_basic.ipynb").write_text("old", encoding="utf-8")
    for name in ("report.html", "review.html", "checks.xlsx", "scores.xlsx", "summary.json"):
        (final / name).write_text("old", encoding="utf-8")
    (final / "manifest.json").write_text('{"jixiao_version": "0.1"}', encoding="utf-8")
    key = final / "key-road"
    key.mkdir()
    (key / "report.html").write_text("key project", encoding="utf-8")
    (key / "manifest.json").write_text('{"jixiao_version": "0.1", "kind": "key-project"}', encoding="utf-8")

    publish(final, tmp_path)
    assert (final / "report.html").read_text(encoding="utf-8") == "new report.html"
    assert not (final / "checks.xlsx").exists()  # the old run's files went with it
    assert (key / "report.html").read_text(encoding="utf-8") == "key project"
    files = json.loads((final / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert {"report.html", "manifest.json", "sections/", "sections/01_basic.ipynb"} <= set(files)
    assert not any(f.startswith("key-") for f in files)  # carried over, not written by this run
    publish(final, tmp_path)  # and the folder it wrote is its own next time
    assert (key / "report.html").read_text(encoding="utf-8") == "key project"
    assert sorted(p.name for p in final.parent.iterdir()) == ["2023"]


def test_two_runs_of_one_folder_take_turns(tmp_path, fake_run):
    final = tmp_path / "2023"
    fake_run["pause"] = 0.5
    errors: list[BaseException] = []

    def run():
        try:
            publish(final, tmp_path)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    spans = sorted(fake_run["spans"])
    assert len(spans) == 3
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # one after the other
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023", "params.yaml"]  # no staging left


def test_a_run_that_will_not_wait_is_refused_clearly(tmp_path, fake_run):
    final = tmp_path / "2023"
    fake_run["pause"] = 1.0
    first = threading.Thread(target=publish, args=(final, tmp_path))
    first.start()
    deadline = time.monotonic() + 5
    while not list(tmp_path.glob(".2023.staging-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    with pytest.raises(OutputBusy) as info:
        publish(final, tmp_path, lock_wait=0)
    first.join()
    assert "另一个 jixiao 运行正在生成" in str(info.value) and str(final) in str(info.value)
    assert info.value.exit_code != 0
    assert len(fake_run["spans"]) == 1
    assert (final / "report.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023", "params.yaml"]


def test_roll_up_folder_is_recognised_by_its_files(tmp_path):
    """A folder without a manifest (the roll-up's) is replaced when it holds only what it writes."""
    from jixiao.report.publish import staged_output

    final = tmp_path / "rollup"
    for _ in range(2):
        with staged_output(final, owned=("rollup.html",)) as stage:
            (stage / "rollup.html").write_text("page", encoding="utf-8")
    (final / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NotOurFolder, match="notes.txt"):
        with staged_output(final, owned=("rollup.html",)):
            raise AssertionError("not reached")
    assert (final / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_stale_staging_of_a_dead_run_is_removed(tmp_path, fake_run):
    final = tmp_path / "2023"
    stale = tmp_path / ".2023.staging-x1y2"
    (stale / "sections").mkdir(parents=True)
    (stale / "report.html").write_text("half", encoding="utf-8")
    publish(final, tmp_path)
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023", "params.yaml"]


def test_report_set_aside_by_a_killed_swap_is_put_back(tmp_path, fake_run):
    """Killed between the swap's two renames: the previous report is in .replaced-*."""
    final = tmp_path / "2023"
    publish(final, tmp_path)
    (final / "report.html").write_text("previous", encoding="utf-8")
    os.replace(final, tmp_path / ".2023.replaced-4242")
    fake_run["fail"] = True
    with pytest.raises(SectionFailure):
        publish(final, tmp_path)
    assert (final / "report.html").read_text(encoding="utf-8") == "previous"
    assert not (tmp_path / ".2023.replaced-4242").exists()


def test_failed_folder_holds_notebooks_and_a_note_not_a_report(tmp_path, fake_run):
    final = tmp_path / "2023"
    publish(final, tmp_path)
    good = snapshot(final)
    fake_run["fail"] = True
    with pytest.raises(SectionFailure) as info:
        publish(final, tmp_path)
    failed = tmp_path / "2023.failed"
    assert info.value.notebook == str(failed / "sections" / "01_basic.ipynb")
    assert (failed / "sections" / "01_basic.ipynb").is_file()
    note = (failed / FAILED_NOTE).read_text(encoding="utf-8")
    assert "基本情况" in note and "ValueError: boom" in note and "sections/01_basic.ipynb" in note
    assert not [n for n in LOOK_ALIKES if (failed / n).exists()]
    assert snapshot(final) == good  # the previous report is intact


def test_interrupted_run_keeps_no_look_alike_report(tmp_path, fake_run, monkeypatch):
    final = tmp_path / "2023"
    publish(final, tmp_path)

    def interrupted(stage, *a, **kw):  # noqa: ARG001
        (stage / "sections").mkdir()
        (stage / "report.html").write_text("complete-looking", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_in_stage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publish(final, tmp_path)
    failed = tmp_path / "2023.failed"
    assert not (failed / "report.html").exists()
    assert "中断" in (failed / FAILED_NOTE).read_text(encoding="utf-8")


def test_ctrl_c_says_so(monkeypatch, capsys, tmp_path):
    """Typer turns Ctrl-C into a silent exit 130; the user is told the run was interrupted."""

    def interrupted(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr("jixiao.report.township.run_report", interrupted)
    assert main(["run", str(tmp_path / "params.yaml")]) == 130
    assert "已中断" in capsys.readouterr().err


def test_published_folder_is_not_private(tmp_path, fake_run):
    old = os.umask(0o022)
    try:
        final = tmp_path / "2023"
        publish(final, tmp_path)
        fake_run["fail"] = True
        with pytest.raises(SectionFailure):
            publish(final, tmp_path)
    finally:
        os.umask(old)
    assert final.stat().st_mode & 0o777 == 0o755
    assert (final / "sections").stat().st_mode & 0o777 == 0o755
    assert (final / "report.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "2023.failed").stat().st_mode & 0o777 == 0o755


@pytest.mark.slow
def test_sigterm_unwinds_a_real_run(tmp_path):
    """SIGTERM during `jixiao run` discards the staging folder like Ctrl-C and says so;
    the .failed folder holds notebooks and the note, not a report."""
    raw = portable(EXAMPLE_PARAMS)
    raw.update(workbook=str(EXAMPLE_XLSX), output_dir=str(tmp_path / "reports"))
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    township = tmp_path / "reports" / "dongshiduan"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "run", str(params)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
    )
    deadline = time.monotonic() + 60
    while not list(township.glob(".2023.staging-*/sections/*.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "已中断" in err.decode()
    assert sorted(p.name for p in township.iterdir()) == ["2023.failed"]  # no staging, no lock
    failed = township / "2023.failed"
    assert (failed / FAILED_NOTE).is_file() and (failed / "sections").is_dir()
    assert not [n for n in LOOK_ALIKES if (failed / n).exists()]
