"""Budget check (DESIGN.md "Budgets"): a 10,000-row roster workbook read and fully validated in <= 5 s.

    .venv/bin/python bench/bench_roster.py [--rows 10000] [--keep FILE.xlsx]

Writes a valid roster of demo people (jlexam.demo.people, the bundled catalogue) to a temporary xlsx file,
then times ``read_roster`` in a fresh child process, so that the peak memory printed (the child's maximum
resident set size) is that of reading alone. Exits 1 when the time budget or the 600 MB memory budget is
exceeded, or when a demo row is rejected.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jlexam.demo.people import make_people
from jlexam.exchange.catalogue import load_occupations
from jlexam.exchange.roster import COLUMNS, RosterContext, read_roster, template_header

BUDGET_S = 5.0
MEMORY_BUDGET_MB = 600
TODAY = date(2025, 5, 1)
SEED = 20250501


def _context() -> RosterContext:
    occupations = load_occupations()
    scope = {(o.code, "", level) for o in occupations for level in o.levels}
    return RosterContext(
        occupations={o.code: o for o in occupations},
        scope=scope,
        existing_id_indexes=lambda numbers: set(),
        today=TODAY,
    )


def write_roster(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    occupations = load_occupations()
    names = {o.code: o.name for o in occupations}
    people = make_people(rows, SEED, [(o.code, o.levels) for o in occupations], TODAY)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("报名名单")
    sheet.append([template_header(c) for c in COLUMNS])
    for i, p in enumerate(people):
        # Cells as offices fill them: dates as real dates or text, levels in several spellings.
        values = {
            "name": p.name,
            "sex": p.sex.label,
            "id_type": "居民身份证",
            "id_number": p.id_number if i % 7 else p.id_number.lower(),
            "birth_date": p.birth_date
            if i % 2
            else f"{p.birth_date.year}.{p.birth_date.month}.{p.birth_date.day}",
            "phone": p.phone,
            "education": p.education,
            "employer": p.employer,
            "occupation_code": p.occupation_code,
            "occupation_name": names[p.occupation_code],
            "work_type": "",
            "level": p.level.written if i % 3 else int(p.level),
            "years_in_occupation": p.years_in_occupation,
            "prior_level": p.prior_level.written if p.prior_level else None,
            "prior_certificate_date": p.prior_certificate_date,
            "professional_title": None,
            "student_number": p.student_number,
            "major": p.major,
            "graduation_year": p.graduation_year,
        }
        sheet.append([values[c.key] for c in COLUMNS])
    book.save(path)


def _measure(path: Path) -> None:
    """Child process: time read_roster and report as JSON."""
    context = _context()
    start = time.perf_counter()
    result = read_roster(path, context)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "total": result.total,
                "valid": len(result.rows),
                "errors": [str(e) for e in result.errors[:5]],
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the roster here and keep it")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(args.measure)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "roster.xlsx"
        write_roster(path, args.rows)
        size_kb = path.stat().st_size / 1024
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, check=True
        )
    report = json.loads(child.stdout)
    print(f"roster {args.rows} rows: {report['seconds']:.2f} s (budget {BUDGET_S:g} s)")
    print(
        f"peak memory (max RSS of the reading process): {report['peak_mb']:.0f} MB (budget {MEMORY_BUDGET_MB} MB)"
    )
    print(f"file {size_kb:.0f} KB; rows read {report['total']}, valid {report['valid']}")
    for line in report["errors"]:
        print("  rejected:", line)
    ok = report["seconds"] <= BUDGET_S and report["peak_mb"] <= MEMORY_BUDGET_MB
    ok = ok and report["valid"] == report["total"] == args.rows
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
