"""One report run, whatever the kind of report: parameters → checked input → sections →
stitched page → formats → a published report folder.

What differs between the township report and the key-project evaluation is a small
:class:`ReportKind` (its parameters and input, cover, the files it adds to the folder, its
result); :func:`build_report` does the rest, the same way for both.

Order matters for the guarantees: the input is validated before any kernel starts
(bad input → exit 2, nothing written), and the renderers of the requested formats are
checked before anything is written; outputs go to a staging folder that replaces the
report folder only when every section ran and every requested format (``report.html``,
``report.pdf``, ``report.docx``) was written (a failure → exit 1, the previous report
intact, the failing notebook kept in ``<folder>.failed/``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from jixiao import __version__
from jixiao.exceptions import JixiaoError, SectionFailure
from jixiao.report import sections as report_sections
from jixiao.report.publish import (
    LOCK_WAIT,
    check_publishable,
    check_writable,
    code_fingerprint,
    output_lock,
    record_files,
    sha256,
    signals_interrupt,
    staged_output,
)


@dataclass
class RunResult:
    out_dir: Path
    #: The main report file: report.html, or the first other format when html was not asked for.
    report: Path
    sections: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    seconds: float = 0.0
    #: Format → file written (``{"html": …/report.html, "pdf": …/report.pdf}``).
    outputs: dict = field(default_factory=dict)
    #: The review (审核意见) written beside the report: ``review.html``.
    review: Path | None = None
    #: Error-level findings neither corrected nor acknowledged (校验说明): while there are
    #: any, the report is a draft (草稿 on every page).
    open_errors: list = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return bool(self.open_errors)


def build_in_stage(
    stage: Path,
    sections: list[tuple[str, Path]],
    params_path: Path,
    meta: dict,
    fmts: list[str],
    *,
    on_start: Callable | None = None,
    on_done: Callable | None = None,
    on_format: Callable | None = None,
    km=None,
) -> tuple[list, dict, dict[str, dict]]:
    """Execute the section notebooks into ``stage/sections``, stitch them, write each format.

    The core of a report run, shared by the township run and the key-project evaluation.
    ``km``: a kernel already started with :func:`jixiao.report.execute.shared_kernel`, which is
    shut down here once the last section ran (else the sections start their own).

    Returns
    -------
    (results, resources, outputs)
        Section results; nbconvert's resources (目录, table/figure counts) with the page
        itself under ``page``; format →
        ``{"file", "seconds", "sha256"}`` for the manifest.
    """
    from jixiao.export import write_report
    from jixiao.report.execute import execute_sections
    from jixiao.report.render import export_html, merge_notebooks

    sec_dir = stage / "sections"
    sec_dir.mkdir()
    results = execute_sections(
        sections, sec_dir, {"params_path": str(params_path)}, on_start=on_start, on_done=on_done, km=km
    )
    if km is not None:
        from jixiao.report.execute import stop_kernel

        stop_kernel(km)  # its work is done: free its memory before the typesetting
    merged = merge_notebooks([r.output for r in results])
    # Kept in the stitched notebook so `jupyter nbconvert --to jixiao_pdf` has the cover too.
    merged.metadata["jixiao"] = dict(meta)
    page, res = export_html(merged, meta)
    res["page"] = page  # the review quotes the report's sentences (jixiao.review)
    # …and lists what the sections left out (their outputs' metadata), from the notebook in hand
    from jixiao.review import section_remarks

    res["remarks"] = section_remarks(merged, {r.output.stem: r.name for r in results})
    outputs: dict[str, dict] = {}
    for fmt in fmts:
        if on_format:
            on_format(fmt)
        t1 = time.perf_counter()
        target = write_report(stage, fmt, page)
        outputs[fmt] = {"file": target.name, "seconds": round(time.perf_counter() - t1, 3), "sha256": sha256(target)}
    return results, res, outputs


def build_and_publish(
    out_dir: Path,
    sections: list[tuple[str, Path]],
    params_path: Path,
    meta: dict,
    fmts: list[str],
    *,
    preserve: tuple[str, ...] = (),
    inputs: tuple[Path, ...] = (),
    finish: Callable[[Path, list, dict, dict], None] | None = None,
    on_start: Callable | None = None,
    on_done: Callable | None = None,
    on_format: Callable | None = None,
    lock_wait: float = LOCK_WAIT,
) -> tuple[list, dict, dict[str, dict]]:
    """Build a report folder from validated input and swap it in whole (township and key project).

    First makes sure the folder may be replaced — it holds only what jixiao wrote, and no
    input (the parameters file, ``inputs`` such as the workbook, the section notebooks)
    lives inside it. Then starts the kernel — it boots and imports the section code on the
    other core while this process checks the renderers and imports nbconvert, papermill
    and WeasyPrint — takes the folder's lock, waiting up to ``lock_wait`` seconds for
    another run publishing it (:mod:`jixiao.report.publish`), runs
    :func:`build_in_stage` in a staging folder, lets ``finish`` write the run's own files
    (scores, manifest) into it, records in the manifest every file the run wrote, and
    publishes it over ``out_dir`` (keeping subfolders matching ``preserve``). SIGTERM and
    SIGHUP interrupt the run like Ctrl-C.

    Raises
    ------
    NotOurFolder
        ``out_dir`` holds files jixiao did not write, or an input (exit 2, nothing written).
    OutputBusy
        Another run kept ``out_dir`` locked for ``lock_wait`` seconds (nothing written).
    RendererMissing
        A requested format cannot be written: no section has run, nothing is written.
    SectionFailure
        A section failed: ``out_dir`` is as it was, the executed notebooks and a note
        (失败说明.txt) are kept in ``<out_dir>.failed/`` and the error names the failing
        notebook there.
    """
    import shutil

    from jixiao.export import formats as formats_mod
    from jixiao.report.execute import shared_kernel

    failed_dir = out_dir.with_name(out_dir.name + ".failed")
    inputs = (params_path, *inputs, *(nb for _, nb in sections))
    # Before the lock (which creates its file) and any kernel: a refusal writes nothing.
    check_publishable(out_dir, inputs=inputs, preserve=preserve)
    check_writable(out_dir)  # a path through a file or a folder we may not write in: say so now
    stage = None
    # The kernel runs where the notebooks live, as it would in JupyterLab.
    with signals_interrupt(), shared_kernel(sections[0][1].parent) as km:
        formats_mod.check_renderers(fmts)
        # The lock's file goes beside the folder: taken once the renderers are known to be
        # there, so that a missing renderer writes nothing at all.
        with output_lock(out_dir, wait=lock_wait):
            try:
                with staged_output(out_dir, keep_failed=failed_dir, preserve=preserve, inputs=inputs) as stage:
                    results, res, outputs = build_in_stage(
                        stage,
                        sections,
                        params_path,
                        meta,
                        fmts,
                        on_start=on_start,
                        on_done=on_done,
                        on_format=on_format,
                        km=km,
                    )
                    if finish:
                        finish(stage, results, res, outputs)
                    record_files(stage)
            except SectionFailure as exc:
                # The staging folder the notebook was written in is now <name>.failed/: point there.
                if stage is not None and exc.notebook:
                    exc.notebook = str(failed_dir / Path(exc.notebook).relative_to(stage))
                raise
            if failed_dir.exists():
                shutil.rmtree(failed_dir, ignore_errors=True)  # the failure it recorded is fixed now
    return results, res, outputs


#: What a kind loads from its parameters file (its params, data and findings).
L = TypeVar("L")


class ReportKind(Generic[L]):
    """What one kind of report does its own way; :func:`build_report` does the rest.

    Subclasses set :attr:`name` (a kind of ``config/report.yaml``) and implement
    :meth:`load` and :meth:`cover`; :meth:`params`, :meth:`findings`, :meth:`formats`,
    :meth:`finish`, :meth:`result` and :attr:`preserve` have defaults that a kind may
    override (the township adds ``scores.xlsx`` and ``summary.json`` in :meth:`finish`).
    """

    #: The kind's name in ``config/report.yaml`` (its sections and notebooks folder).
    name: ClassVar[report_sections.Kind]
    #: Subfolders of an existing report folder that a new run keeps (township: ``key-*``).
    preserve: ClassVar[tuple[str, ...]] = ()

    def load(self, params_path: Path) -> L:
        """Read and validate the parameters and the input (raises :class:`InputError`)."""
        raise NotImplementedError

    def params(self, loaded: L) -> Any:
        """The parameters model of ``loaded`` (has ``out_dir``, ``workbook``, ``year``)."""
        return loaded.params  # type: ignore[attr-defined]

    def findings(self, loaded: L) -> list:
        """The input's consistency findings (recorded in the manifest, returned in the result)."""
        return loaded.findings  # type: ignore[attr-defined]

    def formats(self, loaded: L, formats: str | list[str] | None) -> list[str]:
        """The output formats asked for, or the parameters' ``report.formats``."""
        from jixiao.export.formats import parse_formats

        params = self.params(loaded)
        if formats is None:
            return parse_formats(params.report.formats, source=f"{params.source}: report.formats")
        return parse_formats(formats)

    def cover(self, loaded: L) -> dict:
        """The cover: ``unit``, ``year``, ``title``, ``date`` (and ``sample`` when illustrative)."""
        raise NotImplementedError

    def finish(self, loaded: L, stage: Path) -> dict:
        """Write the kind's own files into ``stage``; return extra manifest keys."""
        return {}

    def acknowledgements(self, loaded: L) -> list:
        """The consultant's answers to findings (:class:`jixiao.review.Acknowledgement`); none by default."""
        return []

    def review_parts(self, loaded: L) -> list:
        """Parts the kind adds to its review (:class:`jixiao.review.ReviewPart`); none by default."""
        return []

    def result(self, loaded: L, base: RunResult) -> RunResult:
        """The run's result (a kind may return a subclass with more)."""
        return base


def build_report(
    kind: ReportKind,
    params_path: str | Path,
    *,
    notebooks_dir: Path | None = None,
    formats: str | list[str] | None = None,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable | None = None,
    on_format: Callable[[str], None] | None = None,
    final: bool = False,
) -> RunResult:
    """Build the report of ``kind`` for one parameters file, and its review.

    Beside ``report.<fmt>`` the folder gets the review (审核意见: ``review.html``, and
    ``review.pdf`` with PDF) and ``checks.xlsx``. While an error-level finding is neither
    corrected nor acknowledged in the workbook's 校验说明, the report is a draft: its cover
    data carries ``draft`` (草稿 on every page) and the result lists the open errors.

    Parameters
    ----------
    kind : ReportKind
        What differs between report kinds (township, key project).
    params_path : str or Path
        The parameters file.
    notebooks_dir : Path, optional
        The kind's section notebooks; its folder of the repository's ``notebooks/`` by default.
    formats : str or list of str, optional
        Any of ``html``, ``pdf``, ``docx`` (``"html,pdf"`` or a list); the parameters
        file's ``report.formats`` by default.
    on_start, on_done : callable, optional
        Progress callbacks, called with the section's title / its result.
    on_format : callable, optional
        Called with each output format (``"pdf"`` …) before it is written.
    final : bool
        Refuse to build a draft: with open errors, raise :class:`~jixiao.exceptions.DraftRefused`
        (exit 1) before anything is written.

    Returns
    -------
    RunResult

    Raises
    ------
    InputError
        Bad parameters, formats or input (nothing is written).
    DraftRefused
        ``final`` and error-level findings are open (nothing is written).
    RendererMissing
        A requested format's renderer is not installed (nothing is written, no section runs).
    SectionFailure
        A section failed (the previous report is left as it was).
    """
    t0 = time.perf_counter()
    params_path = Path(params_path).resolve()
    loaded = kind.load(params_path)  # fail fast, before any kernel
    fmts = kind.formats(loaded, formats)
    params, findings = kind.params(loaded), kind.findings(loaded)
    from jixiao.review import review_findings, write_review

    reviewed = review_findings(findings, kind.acknowledgements(loaded))
    if final and reviewed.open_errors:
        from jixiao.exceptions import DraftRefused

        raise DraftRefused(reviewed.open_errors)
    meta = {**kind.cover(loaded), "draft": bool(reviewed.open_errors)}
    nb_dir = Path(notebooks_dir or report_sections.notebooks_dir(kind.name))
    sections = [(s.title, nb_dir / s.notebook) for s in report_sections.sections(kind.name)]
    missing = [str(p) for _, p in sections if not p.is_file()]
    if missing:
        raise JixiaoError("找不到章节笔记本：" + "、".join(missing) + "（可用 --notebooks 指定目录）")
    out_dir = params.out_dir

    def finish(stage: Path, results, res, outputs) -> None:
        extra = kind.finish(loaded, stage)
        remarks = res.get("remarks", [])
        review = write_review(
            stage, meta, reviewed, fmts, remarks=remarks, parts=kind.review_parts(loaded), report=res.get("page", "")
        )
        extra["review"] = {name: {"file": name, "sha256": sha256(path)} for name, path in review.items()}
        extra["draft"] = {"open_errors": [f"{f.id}：{f.title}" for f in reviewed.open_errors]}
        m = manifest(params, params_path, results, findings, res, time.perf_counter() - t0, outputs, **extra)
        (stage / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")

    results, _, outputs = build_and_publish(
        out_dir,
        sections,
        params_path,
        meta,
        fmts,
        preserve=kind.preserve,
        inputs=(Path(params.workbook), *_other_inputs(params)),
        finish=finish,
        on_start=on_start,
        on_done=on_done,
        on_format=on_format,
    )
    files = {fmt: out_dir / info["file"] for fmt, info in outputs.items()}
    base = RunResult(
        out_dir=out_dir,
        report=files.get("html", next(iter(files.values()))),
        sections=results,
        findings=findings,
        seconds=time.perf_counter() - t0,
        outputs=files,
        review=out_dir / "review.html",
        open_errors=reviewed.open_errors,
    )
    return kind.result(loaded, base)


def _other_inputs(params) -> list[Path]:
    """The files a run reads besides its parameters file and workbook (a township's project
    forms, a key project's survey): ``params.other_inputs()`` where the kind has it."""
    other = getattr(params, "other_inputs", None)
    return list(other()) if callable(other) else []


def manifest(
    params,
    params_path: Path,
    results: list,
    findings: list,
    res: dict,
    seconds: float,
    outputs: dict | None = None,
    **extra,
) -> dict:
    """The report folder's ``manifest.json`` (township and key project; ``extra`` keys such
    as ``kind`` and ``result`` follow ``jixiao_version``).

    ``inputs`` is what an incremental batch compares (:func:`jixiao.scale.incremental.up_to_date`):
    jixiao's version and code fingerprint, the parameters file, the workbook and every
    section notebook, each with its SHA-256.
    """
    from collections import Counter

    counts = Counter(f.severity for f in findings)
    return {
        "jixiao_version": __version__,
        **extra,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "parameters": params.model_dump(mode="json"),
        "inputs": {
            "jixiao": {"version": __version__, "sha256": code_fingerprint()},
            "parameters": {"path": str(params_path), "sha256": sha256(params_path)},
            "workbook": {"path": str(params.workbook), "sha256": sha256(params.workbook)},
            "files": {str(p): sha256(p) for p in _other_inputs(params)},
            "notebooks": {r.notebook.name: sha256(r.notebook) for r in results},
        },
        "sections": [
            {
                "name": r.name,
                "notebook": f"sections/{r.output.name}",
                "status": r.status,
                "seconds": round(r.seconds, 3),
            }
            for r in results
        ],
        "checks": {sev: counts.get(sev, 0) for sev in ("error", "warning", "info", "pass")},
        "tables": res.get("jixiao", {}).get("counts", {}).get("table", 0),
        "figures": res.get("jixiao", {}).get("counts", {}).get("figure", 0),
        "outputs": outputs or {},
        "seconds": round(seconds, 3),
    }
