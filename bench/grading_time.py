"""How long `make assignments` and `make grade` take for a class (not part of the tests).

Builds one lesson's assignment, writes N submissions of its student notebook (blank answer cells
filled with 0.5, so every notebook runs to the end as a real one does), grades them, and prints
the times::

    .venv/bin/python bench/grading_time.py --lesson 03 --students 30
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classroom.grading import build as grading_build  # noqa: E402
from classroom.grading import grade as grading_grade  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lesson", default="03")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        grading_build.build([args.lesson], tmp / "built")
        t_build = time.perf_counter() - t0
        entry = grading_build.load_spec()[args.lesson]
        nb = json.loads((tmp / "built" / "student" / entry["notebook"]).read_text(encoding="utf-8"))
        subs = tmp / "subs"
        subs.mkdir()
        for i in range(args.students):
            filled = json.loads(json.dumps(nb))
            for cell in filled["cells"]:
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                src = src.replace('STUDENT = ""', f'STUDENT = "student {i:02d}"')
                src = src.replace("student_id_3_5 = None", f'student_id_3_5 = "student {i:02d}"')
                cell["source"] = src.replace(" = None", " = 0.5")
            with zipfile.ZipFile(subs / f"s{i:02d}.zip", "w") as zf:
                zf.writestr(entry["notebook"], json.dumps(filled))
        t0 = time.perf_counter()
        result = grading_grade.grade(subs, tmp / "built", tmp / "grades", jobs=args.jobs)
        t_grade = time.perf_counter() - t0
    print(
        f"lesson {args.lesson}: build {t_build:.0f} s; grade {args.students} submissions {t_grade:.0f} s "
        f"({t_grade / args.students:.1f} s each, {args.jobs} at once); graded {len(result['graded'])}, "
        f"reported {len(result['reported'])}"
    )


if __name__ == "__main__":
    main()
