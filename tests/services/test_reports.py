"""Oversight and termination reports: numbers computed by queries on a database built with the services."""

from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from jlexam.domain.levels import SkillLevel
from jlexam.errors import PermissionDenied
from jlexam.security.roles import Role
from jlexam.services import registration, reports, sittings
from jlexam.store.models import AuditEvent, Candidate, Institution
from tests.services.helpers import ELECTRICIAN, person
from tests.services.test_archives import archived, reported  # noqa: F401  (fixtures)
from tests.services.test_certificates import final  # noqa: F401  (fixture)
from tests.services.test_scoring_publicity import CODE, EXAM_DAY, decided, scored, team  # noqa: F401  (fixtures)

TODAY = date(2027, 3, 1)


def test_oversight_numbers(db, archived, actor_for):  # noqa: F811
    admin = actor_for(Role.ADMIN)
    r = reports.oversight(admin, TODAY)
    (line,) = r.sittings
    assert (line.code, line.applicants, line.approved, line.sat, line.passed, line.absent, line.certificates) == (
        CODE, 3, 3, 2, 1, 1, 1,
    )  # fmt: skip
    assert line.pass_rate == "50.0%" and line.state == "已归档"
    (rate,) = r.rates
    assert (rate.level, rate.sat, rate.passed, rate.absent) == (SkillLevel(4).written, 2, 1, 1)
    assert ELECTRICIAN in rate.occupation
    (upload,) = r.uploads
    assert upload.status == "on_time" and upload.sittings == CODE and r.unreported_certificates == 0
    assert r.last_sitting_on == EXAM_DAY + timedelta(days=1)  # the sitting's second day
    assert r.filing_valid_until == date(2028, 4, 9) and r.renewal_due_on == date(2028, 1, 9)
    assert r.coverage is None  # not a university
    assert [i.incident for i in r.incidents] == [0] and [c.packets for c in r.custody] == [0]
    # within a year of the last sitting the institution may apply for a rating; more than a year after it,
    # not (000 §5(二))
    within = reports.oversight(admin, date(2026, 12, 1))
    assert next(f for f in within.star if "000 第五条(二)" in f.label).ok is True
    later = reports.oversight(admin, date(2027, 6, 1))
    assert next(f for f in later.star if "000 第五条(二)" in f.label).ok is False
    assert "不能申请星级评定" in later.last_sitting_message
    # a period without the sitting counts nothing
    empty = reports.oversight(admin, TODAY, date(2027, 1, 1), date(2027, 12, 31))
    assert empty.sittings == [] and empty.candidates == 0 and empty.last_sitting_on == EXAM_DAY + timedelta(days=1)


def test_university_coverage_by_major_and_cohort(db, final, actor_for):  # noqa: F811
    with db.transaction() as s:
        s.execute(update(Institution).values(kind="university"))
        ids = list(s.scalars(select(Candidate.id).order_by(Candidate.id)))
        s.execute(
            update(Candidate)
            .where(Candidate.id == ids[0])
            .values(major="电气自动化技术", graduation_year=2027)
        )
        s.execute(
            update(Candidate)
            .where(Candidate.id == ids[1])
            .values(major="电气自动化技术", graduation_year=2027)
        )
        s.execute(
            update(Candidate)
            .where(Candidate.id == ids[2])
            .values(major="机电一体化技术", graduation_year=2029)
        )
    r = reports.oversight(actor_for(Role.SUPERVISOR), TODAY)
    lines = {(c.major, c.graduation_year): c for c in r.coverage}
    ee = lines[("电气自动化技术", 2027)]
    assert (ee.applicants, ee.approved, ee.passed, ee.graduating) == (2, 2, 1, True)
    me = lines[("机电一体化技术", 2029)]
    assert (me.applicants, me.passed, me.graduating) == (1, 0, False)
    assert r.unmapped_majors == ["机电一体化技术", "电气自动化技术"]


def test_reports_written_as_pdf_and_xlsx(db, archived, actor_for, tmp_path):  # noqa: F811
    admin = actor_for(Role.ADMIN)
    pdf, xlsx = tmp_path / "oversight.pdf", tmp_path / "oversight.xlsx"
    reports.write_oversight(admin, pdf, xlsx)
    assert pdf.read_bytes().startswith(b"%PDF")
    book = load_workbook(xlsx)
    assert book.sheetnames[0].startswith("一、机构与备案")
    sheet = book[next(n for n in book.sheetnames if n.startswith("二、"))]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert CODE in values and "50.0%" in values
    with db.reading() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "report.oversight")).one()


def test_termination_report_and_its_confidentiality(db, archived, actor_for, admin, tmp_path):  # noqa: F811
    team_, _ = archived
    office = team_["clerk1"]
    sittings.create_sitting(
        office, "S2027-05", "2027年5月电工认定", date(2027, 5, 8), date(2027, 5, 9),
        [sittings.OfferInput(ELECTRICIAN, "", SkillLevel(4), 25000)],
    )  # fmt: skip
    at = datetime(2027, 5, 8, 1, 0, tzinfo=UTC)
    sittings.add_session(office, "S2027-05", "theory", at, at + timedelta(minutes=90))
    sittings.open_registration(office, "S2027-05", date(2027, 4, 1), date(2027, 4, 30))
    registration.register_application(office, "S2027-05", person(7))
    for role in (Role.EXAM_OFFICE, Role.DATA_CLERK):
        with pytest.raises(PermissionDenied):
            reports.write_termination(actor_for(role), tmp_path / "t.pdf")
        with pytest.raises(PermissionDenied):
            reports.termination(actor_for(role))
    assert not (tmp_path / "t.pdf").exists()
    r = reports.write_termination(admin, tmp_path / "t.pdf", tmp_path / "t.xlsx")
    (cert,) = r.certificates
    assert cert.status == "有效" and cert.upload.startswith("已上报") and r.not_uploaded == 0
    assert "*" in cert.id_number_masked
    (refund,) = r.refunds
    assert refund.sitting_code == "S2027-05" and refund.fee_cents == 25000 and r.refund_cents == 25000
    (arch,) = r.archives
    assert arch.sitting_code == CODE and arch.electronic_until - arch.paper_until > timedelta(days=700)
    assert r.unarchived_sittings == []
    with db.reading() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "report.termination")).one()
    assert "个人信息" in event.summary
    assert (tmp_path / "t.xlsx").exists()
