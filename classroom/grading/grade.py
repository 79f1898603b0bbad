"""`make grade SUBMISSIONS=DIR`: grade the zips students exported, locally (no Docker).

Each ``*.zip`` in DIR or its subfolders (an LMS download: a folder per student) is what a student's ``grader.export(...)`` cell wrote. Every zip is first
checked (readable zip, one notebook inside, the right assignment, the public tests as handed out);
a bad one is reported by its file name and never stops the others. The good ones are graded with
``otter run`` against the assignment's grading bundle (hidden tests, partial credit), one process
each, two at a time. Written into OUT/ASSIGNMENT/ (default OUT: build/grades); the results of an
earlier run there are moved aside to OUT/ASSIGNMENT_DATE/ (the time that run finished), never deleted:

    grades.csv        one row per student: student, file, a column per question, total (for an LMS)
    feedback/*.html   one page per student: marks per question with the reason for each lost
                      point, and their written answers beside the model answers
    written.html      every student's written answers, question by question, beside the model answer
    report.txt        what was graded and every submission that was not (or needs a look), by name;
                      an exercise whose cell raised an error is named with the error, not as blank

Usage: ``python -m classroom.grading.grade DIR [--assignment 03] [--assignments build/assignments]
[--out build/grades] [--jobs 2] [--timeout 600]``. Exit status 0 when every zip was graded, 2 when
some were reported instead, 1 when nothing could be graded.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .build import (
    ANSWER_PLACEHOLDER,
    ASSIGNMENT_PREFIX,
    DEFAULT_OUT,
    REPO,
    WRITTEN_KEY,
    public_tests,
    tests_fingerprint,
)

DEFAULT_GRADES = REPO / "build" / "grades"


@dataclass
class Submission:
    path: Path
    label: str = ""  # the path inside SUBMISSIONS (a folder per student: the file names may repeat)
    student: str = ""
    assignment: str = ""
    notebook: dict | None = None
    problems: list[str] = field(default_factory=list)  # not graded, with why
    copy_of: str = ""  # the very same file as this one (graded once, under that label)
    other_assignment: str = ""  # of another assignment built here (a folder that mixes them)
    warnings: list[str] = field(default_factory=list)  # graded, but the instructor should look
    scores: dict[str, float] = field(default_factory=dict)
    messages: dict[str, list[str]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return round(sum(self.scores.values()), 3)


def load_bundles(assignments: Path) -> dict[str, dict]:
    """assignment name -> its assignment.json (plus the folder it came from)."""
    bundles = {}
    for path in sorted((assignments / "grading").glob("*/assignment.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        info["dir"] = path.parent
        bundles[info["assignment"]] = info
    return bundles


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def find_zips(submissions: Path) -> list[Path]:
    """Every ``*.zip`` in SUBMISSIONS and its subfolders (an LMS download holds a folder per
    student); hidden files and folders and the ``__MACOSX`` copies macOS's unzip leaves are not
    submissions."""
    return sorted(
        p
        for p in submissions.rglob("*")
        if p.suffix.lower() == ".zip"
        and p.is_file()
        and not any(part.startswith(".") or part == "__MACOSX" for part in p.relative_to(submissions).parts)
    )


def read_submission(path: Path, root: Path | None = None) -> Submission:
    """Open one zip and read who it is from and which assignment (problems named, never raised)."""
    label = path.relative_to(root).as_posix() if root else path.name
    sub = Submission(path=path, label=label, student=label[: -len(path.suffix)])
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                sub.problems.append(f"the zip is damaged (its file {bad} does not read back)")
                return sub
            notebooks = [n for n in zf.namelist() if n.endswith(".ipynb") and "/" not in n.strip("/")]
            if len(notebooks) != 1:
                sub.problems.append(
                    f"the zip holds {len(notebooks)} notebooks at its top level, not the one exported"
                )
                return sub
            raw = zf.read(notebooks[0])
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        sub.problems.append(f"not a readable zip file ({type(err).__name__}: {err})")
        return sub
    try:
        nb = json.loads(raw.decode("utf-8"))
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
    except (UnicodeDecodeError, ValueError) as err:
        sub.problems.append(f"the notebook inside is damaged ({err})")
        return sub
    sub.notebook = nb
    sub.assignment = nb.get("metadata", {}).get("otter", {}).get("assignment_name") or ""
    for cell in nb["cells"]:
        m = re.search(r"""^STUDENT\s*=\s*(['"])(.*?)\1""", _src(cell), re.M)
        if cell.get("cell_type") == "code" and m:
            if m.group(2).strip():
                sub.student = m.group(2).strip()
            break
    for cell in nb["cells"]:
        exercise = cell.get("metadata", {}).get(WRITTEN_KEY)
        if exercise and cell.get("cell_type") == "markdown":
            text = _src(cell).split("\n", 1)[-1].strip()
            sub.written[exercise] = "" if text == ANSWER_PLACEHOLDER else text
    return sub


def check_against(sub: Submission, bundle: dict, bundles: dict | None = None) -> None:
    """Assignment name and public tests as handed out; problems and warnings named on ``sub``."""
    if sub.assignment != bundle["assignment"] and sub.assignment in (bundles or {}):
        sub.other_assignment = sub.assignment
        sub.problems.append(f"it is of another assignment ({sub.assignment}), not {bundle['assignment']}")
        return
    if not sub.assignment:
        sub.problems.append("its notebook names no assignment (not exported from an assignment notebook)")
        return
    if sub.assignment != bundle["assignment"]:
        sub.problems.append(
            f"it is from assignment {sub.assignment}, which is not built here, not {bundle['assignment']}"
        )
        return
    handed_out = bundle["public_tests"]
    submitted = tests_fingerprint(public_tests(sub.notebook))
    edited = sorted(q for q in set(handed_out) | set(submitted) if handed_out.get(q) != submitted.get(q))
    if edited:
        sub.warnings.append(
            f"the public tests of {', '.join(edited)} were edited in the notebook; graded with the "
            "instructor's own tests, which the notebook cannot change"
        )


def run_otter(sub: Submission, bundle: dict, timeout_s: float) -> None:
    """``otter run`` in a process of its own; scores and failure messages onto ``sub``."""
    otter = Path(sys.executable).parent / "otter"
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        tmp = Path(tmp)
        # a plain name: otter looks for the zip's notebook by extension, and names may have spaces
        local = tmp / "submission.zip"
        shutil.copy(sub.path, local)
        out = tmp / "out"
        out.mkdir()
        try:
            proc = subprocess.run(
                [
                    str(otter),
                    "run",
                    "--no-logo",
                    "--pickle-results",  # results.pkl in cwd: its .notebook is the notebook as run
                    "-a",
                    str(bundle["dir"] / "autograder.zip"),
                    "-o",
                    str(out),
                    str(local),
                ],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            sub.problems.append(f"grading did not finish within {timeout_s:.0f} s (a cell that never ends?)")
            return
        results = out / "results.json"
        if not results.exists():
            last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            sub.problems.append(f"otter could not grade it: {last[0][:300]}")
            return
        data = json.loads(results.read_text())
        errors = cell_errors(_executed_notebook(tmp / "results.pkl"))
    by_name = {t["name"]: t for t in data.get("tests", [])}
    for q in bundle["questions"]:
        name = q["name"]
        test = by_name.get(name)
        if test is None:
            sub.scores[name] = 0.0
            sub.messages[name] = ["not graded: the notebook did not run as far as this exercise"]
            continue
        sub.scores[name] = round(float(test.get("score", 0.0)), 3)
        sub.messages[name] = _failure_reasons(test.get("output", ""))
        if name in errors and sub.scores[name] < q["points"] - 1e-9:
            # an answer the notebook never set because a cell raised, not one left blank
            error, first_line = errors[name]
            sub.messages[name].insert(
                0,
                f"When your notebook ran, the cell starting “{first_line}” raised {error}; "
                "fix it so that the cell runs.",
            )
            sub.warnings.append(
                f"exercise {q['exercise']} ({name}) raised an error, it was not left blank: {error} "
                f"(in the cell starting “{first_line}”)"
            )


def _executed_notebook(pickled: Path) -> dict | None:
    """The notebook as otter ran it (its GradingResults pickle), or None if there is none."""
    try:
        import dill

        with pickled.open("rb") as f:
            return dill.load(f).notebook
    except Exception:  # no pickle, or one this otter cannot read: errors are then not named
        return None


_CHECK = re.compile(r"""(?:checks\.button|grader\.check)\(\s*["'](q\d+_\d+)["']""")


def cell_errors(nb: dict | None) -> dict[str, tuple[str, str]]:
    """Question -> (the one-line error, the first line of its cell) for an error raised by a cell
    between the previous question's check and this one's (the last such, nearest the answer); the
    check cells' own errors do not count."""
    found, pending = {}, None
    for cell in (nb or {}).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = _src(cell)
        check = _CHECK.search(source)
        if check:
            if pending:
                found[check.group(1)] = pending
            pending = None
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                message = (str(out.get("evalue", "")).strip().splitlines() or [""])[0][:200]
                error = (
                    f"{out.get('ename', 'Error')}: {message}" if message else str(out.get("ename", "Error"))
                )
                first = next((line.strip() for line in source.splitlines() if line.strip()), "")
                pending = (error, first[:80])
    return found


def _failure_reasons(output: str) -> list[str]:
    """The failure messages (hidden ones too: this page is for after the marking) from otter's output."""
    reasons = re.findall(r"message:\s*(.+)", output)
    return [r.strip() for r in reasons if r.strip()]


def grade(
    submissions: Path,
    assignments: Path = DEFAULT_OUT,
    out: Path = DEFAULT_GRADES,
    assignment: str | None = None,
    jobs: int = 2,
    timeout_s: float = 600,
) -> dict:
    t0 = time.perf_counter()
    bundles = load_bundles(assignments)
    if not bundles:
        raise SystemExit(
            f"make grade: no grading bundles in {assignments / 'grading'}; run `make assignments` first"
        )
    zips = find_zips(submissions)
    if not zips:
        raise SystemExit(f"make grade: no .zip files in {submissions} (nor in its subfolders)")
    subs = [read_submission(p, submissions) for p in zips]
    first_with = {}  # the very same file twice (copied into two folders): graded once
    for sub in subs:
        digest = hashlib.sha256(sub.path.read_bytes()).hexdigest()
        if digest in first_with:
            sub.copy_of = first_with[digest].label
            sub.problems.append(f"the same file as {sub.copy_of} (graded once, under that name)")
        else:
            first_with[digest] = sub
    if assignment:
        name = (
            assignment
            if assignment.startswith(ASSIGNMENT_PREFIX)
            else ASSIGNMENT_PREFIX + assignment.zfill(2)
        )
    counts = Counter(s.assignment for s in subs if s.assignment in bundles and not s.copy_of)
    if not assignment:  # the assignment most submissions name
        if not counts:
            raise SystemExit(
                f"make grade: none of the {len(zips)} zips names an assignment built in {assignments}; "
                f"give ASSIGNMENT=NN (built: {', '.join(sorted(bundles))})"
            )
        name = counts.most_common(1)[0][0]
    if name not in bundles:
        raise SystemExit(
            f"make grade: assignment {name} is not built in {assignments}; built: {', '.join(sorted(bundles))}"
        )
    bundle = bundles[name]
    for sub in subs:
        if not sub.problems:
            check_against(sub, bundle, bundles)
    notes = []
    others = sorted(a for a in counts if a != name)
    if others:  # said once: the folder mixes assignments, which is no student's doing
        held = ", ".join(f"{a} ({counts[a]} zip{'' if counts[a] == 1 else 's'})" for a in [name, *others])
        how = "as ASSIGNMENT asked" if assignment else "the one most zips name"
        commands = " and ".join(
            f"make grade ASSIGNMENT={bundles[a]['lesson']} SUBMISSIONS={shlex.quote(str(submissions))}"
            for a in others
        )
        note = (
            f"This folder mixes assignments: {held}. Graded {name} ({how}); the zips of the others "
            f"are listed below, not graded: for those, run {commands}."
        )
        if not assignment:  # chosen by count: a few odd zips may be students who sent the wrong lesson
            note += f" (A student who handed in the wrong lesson: ask them for lesson {bundle['lesson']}.)"
        notes.append(note)
    # Two students with the same name (or none given) keep distinct rows.
    seen = {}
    for sub in subs:
        if sub.copy_of:
            continue
        if sub.student in seen:
            sub.warnings.append(
                f"the same name {sub.student!r} as {seen[sub.student].label}; this row is named by its file"
            )
            sub.student = f"{sub.student} ({sub.label})"
        else:
            seen[sub.student] = sub

    to_grade = [s for s in subs if not s.problems]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda s: run_otter(s, bundle, timeout_s), to_grade))

    target = out / name
    kept = keep_earlier(target)
    (target / "feedback").mkdir(parents=True)
    graded = [s for s in subs if not s.problems]
    write_csv(target / "grades.csv", graded, bundle)
    for s in graded:
        (target / "feedback" / f"{_safe(s.student)}.html").write_text(
            feedback_page(s, bundle), encoding="utf-8"
        )
    (target / "written.html").write_text(written_page(graded, bundle), encoding="utf-8")
    report = report_text(subs, bundle, time.perf_counter() - t0, notes)
    if kept:
        report += f"Earlier results kept, not overwritten: {kept} (the previous run; older runs beside it).\n"
    (target / "report.txt").write_text(report, encoding="utf-8")
    return {
        "dir": target,
        "kept": kept,
        "graded": graded,
        "reported": [s for s in subs if s.problems],
        "report": report,
    }


def keep_earlier(target: Path) -> Path | None:
    """An earlier run's results in ``target`` are renamed ``NAME_YYYY-MM-DD_HHMMSS`` (when that run
    wrote its report), never deleted: the instructor may have edited that CSV or sent those pages."""
    if not target.exists():
        return None
    if not any(target.iterdir()):
        target.rmdir()
        return None
    report = target / "report.txt"
    written = (report if report.exists() else target).stat().st_mtime
    stamp = time.strftime("%Y-%m-%d_%H%M%S", time.localtime(written))
    kept, n = target.with_name(f"{target.name}_{stamp}"), 2
    while kept.exists():  # two runs within a second
        kept, n = target.with_name(f"{target.name}_{stamp}_{n}"), n + 1
    target.rename(kept)
    return kept


def write_csv(path: Path, graded: list[Submission], bundle: dict) -> None:
    names = [q["name"] for q in bundle["questions"]]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "file", *names, "total"])
        for s in sorted(graded, key=lambda s: s.student.lower()):
            w.writerow([s.student, s.label, *[f"{s.scores.get(n, 0.0):g}" for n in names], f"{s.total:g}"])


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_") or "student"


def _md(text: str) -> str:
    """Markdown rendered (headings, lists, emphasis, code) as the notebook shows it; any HTML a
    student typed is escaped, never passed through. mistune is nbconvert's Markdown parser."""
    import mistune

    return mistune.create_markdown(escape=True)(text).strip()


_STYLE = (
    "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.45}"
    "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left;"
    "vertical-align:top}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}"
    ".pair>div{border:1px solid #999;padding:.5rem}</style>"
)


def feedback_page(sub: Submission, bundle: dict) -> str:
    rows = []
    for q in bundle["questions"]:
        score = sub.scores.get(q["name"], 0.0)
        reasons = sub.messages.get(q["name"], [])
        why = (
            "All checks passed."
            if score >= q["points"] - 1e-9
            else " ".join(html.escape(r) for r in reasons) or "Some checks failed."
        )
        rows.append(
            f"<tr><th scope='row'>Exercise {q['exercise']}</th><td>{score:g} / {q['points']:g}</td><td>{why}</td></tr>"
        )
    written = "".join(
        f"<h3>Exercise {w['exercise']}</h3><div class='pair'><div><h4>Your answer</h4>"
        f"{_md(sub.written.get(w['exercise'], '')) or '<p><em>No answer given.</em></p>'}</div>"
        f"<div><h4>Model answer</h4>{_md(w['model_answer'])}</div></div>"
        for w in bundle["written"]
    )
    warn = "".join(f"<p role='note'><strong>Note:</strong> {html.escape(w)}</p>" for w in sub.warnings)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Feedback: {html.escape(sub.student)}, "
        f"{html.escape(bundle['assignment'])}</title>{_STYLE}</head><body><main>"
        f"<h1>Feedback for {html.escape(sub.student)}</h1><p>Assignment {html.escape(bundle['assignment'])} "
        f"(file {html.escape(sub.label)}): <strong>{sub.total:g} of {bundle['points_possible']:g} points</strong> "
        f"for the autograded exercises.</p>{warn}"
        "<h2>Autograded exercises</h2><table><thead><tr><th scope='col'>exercise</th><th scope='col'>points</th>"
        f"<th scope='col'>what to look at</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + (f"<h2>Written exercises (marked by your instructor)</h2>{written}" if written else "")
        + "</main></body></html>\n"
    )


def written_page(graded: list[Submission], bundle: dict) -> str:
    parts = []
    for w in bundle["written"]:
        answers = "".join(
            f"<h4>{html.escape(s.student)}</h4>{_md(s.written.get(w['exercise'], '')) or '<p><em>No answer given.</em></p>'}"
            for s in sorted(graded, key=lambda s: s.student.lower())
        )
        parts.append(
            f"<h2>Exercise {w['exercise']}</h2>{_md(w['prompt'])}<div class='pair'><div><h3>Students' answers</h3>"
            f"{answers}</div><div><h3>Model answer</h3>{_md(w['model_answer'])}</div></div>"
        )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Written answers, "
        f"{html.escape(bundle['assignment'])}</title>{_STYLE}</head><body><main><h1>Written answers: "
        f"{html.escape(bundle['assignment'])}</h1>{''.join(parts) or '<p>No written exercises.</p>'}</main></body></html>\n"
    )


def report_text(subs: list[Submission], bundle: dict, seconds: float, notes: list[str] = ()) -> str:
    graded = [s for s in subs if not s.problems]
    lines = [
        f"{bundle['assignment']}: {len(graded)} of {len(subs)} submissions graded in {seconds:.0f} s "
        f"(out of {bundle['points_possible']:g} points).",
        *notes,
    ]
    bad = [s for s in subs if s.problems and not s.copy_of and not s.other_assignment]
    if bad:
        lines.append("Not graded (ask these students to export again):")
        lines += [f"  {s.label}: {'; '.join(s.problems)}" for s in bad]
    elsewhere = [s for s in subs if s.other_assignment and not s.copy_of]
    if elsewhere:
        lines.append("Of another assignment (not graded in this run):")
        lines += [f"  {s.label} ({s.student}): {s.other_assignment}" for s in elsewhere]
    copies = [s for s in subs if s.copy_of]
    if copies:
        lines.append("Copies of a file graded above (not graded twice):")
        lines += [f"  {s.label}: {'; '.join(s.problems)}" for s in copies]
    look = [s for s in graded if s.warnings]
    if look:
        lines.append("Graded, but look at these:")
        lines += [f"  {s.label} ({s.student}): {'; '.join(s.warnings)}" for s in look]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m classroom.grading.grade", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("submissions", type=Path, help="a folder of the zips students exported")
    parser.add_argument("--assignment", help="lesson number (e.g. 03); default: the one most zips name")
    parser.add_argument("--assignments", type=Path, default=DEFAULT_OUT, help="what `make assignments` built")
    parser.add_argument("--out", type=Path, default=DEFAULT_GRADES)
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per submission (default 600)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"make grade: {args.submissions} is not a folder (SUBMISSIONS=DIR of zips)", file=sys.stderr)
        return 1
    result = grade(args.submissions, args.assignments, args.out, args.assignment, args.jobs, args.timeout)
    print(result["report"], end="")
    print(f"Grades: {result['dir'] / 'grades.csv'}\nFeedback pages: {result['dir'] / 'feedback'}")
    print(f"Written answers beside the model answers: {result['dir'] / 'written.html'}")
    if not result["graded"]:
        return 1
    return 2 if result["reported"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
