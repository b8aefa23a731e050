"""The demo's last stage: the upload receipts, the sitting reported and archived, the package and the reports."""

from __future__ import annotations

from pathlib import Path

from jlexam.errors import JlexamError
from jlexam.exchange.archive_package import verify_package
from jlexam.services import archives, reports, uploads
from jlexam.services.base import Actor

PACKAGE = "archive-package.zip"
OVERSIGHT_PDF = "oversight-report.pdf"
OVERSIGHT_XLSX = "oversight-report.xlsx"
TERMINATION_PDF = "termination-report.pdf"
TERMINATION_XLSX = "termination-report.xlsx"
# for the demo's list of its own files
OWN_FILES = (PACKAGE, OVERSIGHT_PDF, OVERSIGHT_XLSX, TERMINATION_PDF, TERMINATION_XLSX)
PAPER_LOCATION = "档案室 1 号档案柜第 2 层（演示）"


def run(actors: dict[str, Actor], sitting_code: str, out: Path) -> list[Path]:
    """Register the platform's receipt for each exported batch, mark the sitting reported, archive it, write
    and verify the signed archive package, and write the oversight report and the termination report (what an
    institution ending its filing owes, 001 §12-13) as PDF and xlsx."""
    out = Path(out)
    clerk, supervisor, admin = actors["shujuyuan"], actors["zhukao"], actors["admin"]
    today = archives.today()
    for n, batch in enumerate(uploads.dashboard(clerk, today), start=1):
        if batch.status == "exported":
            uploads.mark_uploaded(clerk, batch.batch_id, f"DEMO-HZ-{today:%Y%m%d}-{n:03d}", today)
    archives.mark_reported(clerk, sitting_code)
    archives.archive_sitting(supervisor, sitting_code, PAPER_LOCATION)
    package = out / PACKAGE
    archives.write_package(supervisor, sitting_code, package)
    report = verify_package(package)
    if not report.ok:
        raise JlexamError("演示档案包校验失败：" + "；".join(report.problems))
    pdf, xlsx = out / OVERSIGHT_PDF, out / OVERSIGHT_XLSX
    reports.write_oversight(admin, pdf, xlsx)
    end_pdf, end_xlsx = out / TERMINATION_PDF, out / TERMINATION_XLSX
    reports.write_termination(supervisor, end_pdf, end_xlsx)
    return [package, pdf, xlsx, end_pdf, end_xlsx]
