"""Archiving a reported sitting (002 §34-36): the index, retention, destruction, the signed package (issue 9)."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jlexam.domain.idcard import build_id_number
from jlexam.domain.retention import Medium, add_years
from jlexam.errors import JlexamError, NotFound, PermissionDenied, StateError, ValidationError
from jlexam.exchange.archive_package import INDEX, read_index, verify_package
from jlexam.exchange.batch import MANIFEST
from jlexam.security.roles import Role
from jlexam.services import archives, certificates, eligibility, uploads
from jlexam.store.models import (
    ApplicationEvidence,
    AuditEvent,
    ExamSession,
    Sitting,
    StaffAssignment,
    StaffMember,
)
from tests.services.test_certificates import final  # noqa: F401  (fixture)
from tests.services.test_scoring_publicity import CODE, scored, team  # noqa: F401  (fixtures)
from tests.unit.test_batch import OPENSSL, third_party_verifies

ISSUE = date(2026, 10, 14)
SHELF = "档案室 2 号柜第 3 层"


def _audit_count(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def reported(db, final, tmp_path):  # noqa: F811
    """The sitting certified, its batch uploaded with a receipt, one evidence file kept, marked reported."""
    sup, clerk = final["supervisor"], final["clerk2"]
    app_id = eligibility.list_applications(sup, CODE)[0].id
    scan = tmp_path / "学历证书.pdf"
    scan.write_bytes(b"%PDF-1.4 diploma scan")
    eligibility.attach_evidence(sup, app_id, "diploma", scan)
    numbers = certificates.issue_certificates(sup, CODE, ISSUE)
    uploads.export_batch(clerk, numbers, tmp_path / "batch.zip")
    (view,) = uploads.dashboard(clerk, ISSUE)
    with pytest.raises(StateError, match="不在已上报的批次中"):
        archives.mark_reported(clerk, CODE)
    uploads.mark_uploaded(clerk, view.batch_id, "HZ-2026-0001", date(2026, 10, 20))
    archives.mark_reported(clerk, CODE)
    return final


@pytest.fixture
def archived(db, reported):
    view = archives.archive_sitting(reported["supervisor"], CODE, SHELF)
    return reported, view


def test_only_a_reported_sitting_is_archived(db, final):  # noqa: F811
    with pytest.raises(StateError, match="已上报"):
        archives.archive_sitting(final["supervisor"], CODE, SHELF)
    with pytest.raises(StateError, match="发证后"):
        archives.mark_reported(final["clerk2"], CODE)


def test_index_lists_every_record_with_medium_retention_and_place(db, archived):
    _, view = archived
    on = archives.today()
    assert view.archived_on == on and view.paper_location == SHELF
    assert view.paper_until == add_years(on, 3) and view.electronic_until == add_years(on, 5)
    categories = {i.category for i in view.items}
    assert categories >= {
        "announcement", "roster", "evidence", "seating", "staff", "custody", "checkin", "scores", "publicity",
        "certificates", "uploads", "audit",
    }  # fmt: skip
    for item in view.items:
        if item.medium is Medium.PAPER:
            assert item.retain_until == add_years(on, 3) and item.location == SHELF and not item.file_name
        else:
            assert item.retain_until == add_years(on, 5) and item.file_name
        assert item.in_retention
    assert [i.seq for i in view.items] == list(range(1, len(view.items) + 1))
    certs = next(i for i in view.items if i.file_name == "records/certificates.csv")
    assert certs.records == 1
    audit = next(i for i in view.items if i.category == "audit")
    assert audit.records > 10  # the sitting's own trail, from creation to archive
    with db.reading() as s:
        assert s.scalar(select(Sitting.state).where(Sitting.code == CODE)) == "archived"


def test_archive_needs_the_paper_location(db, reported):
    with pytest.raises(ValidationError, match="存放位置"):
        archives.archive_sitting(reported["supervisor"], CODE, "  ")
    with pytest.raises(ValidationError, match="不能少于 5 年"):
        archives.archive_sitting(reported["supervisor"], CODE, SHELF, electronic_years=4)


ALL_ROLES = [frozenset({r}) for r in Role] + [frozenset(Role)]


def test_destruction_is_refused_within_retention_for_every_role(db, archived, actor_for):
    _, view = archived
    seqs = [i.seq for i in view.items]
    actors = [(roles, actor_for(*roles)) for roles in ALL_ROLES]
    before = _audit_count(db)
    for roles, actor in actors:
        with pytest.raises((PermissionDenied, StateError)) as info:
            archives.destroy_items(actor, CODE, seqs, "档案管理制度第 5 条，经主任批准")
        if Role.ADMIN in roles:
            assert "保管期内任何人都不能删除" in info.value.message
    # nothing destroyed, nothing audited
    index = archives.archive_index(actor_for(Role.SUPERVISOR), CODE)
    assert all(i.destroyed_on is None for i in index.items)
    assert _audit_count(db) == before
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ApplicationEvidence)) == 1
    # nor can any service delete the sitting's records while they are kept
    with db.reading() as s, pytest.raises(StateError, match="保管期内任何人都不能删除"):
        archives.ensure_deletable(s, s.scalar(select(Sitting.id).where(Sitting.code == CODE)), "报名记录")


def test_one_day_before_the_end_is_still_in_retention(db, archived, actor_for, monkeypatch):
    _, view = archived
    paper = next(i for i in view.items if i.medium is Medium.PAPER)
    last_day = datetime.combine(paper.retain_until, datetime.min.time(), UTC) + timedelta(hours=12)
    monkeypatch.setattr(archives, "clock", lambda: last_day)
    with pytest.raises(StateError, match="保管期内"):
        archives.destroy_items(actor_for(Role.ADMIN), CODE, [paper.seq], "保管期满，经批准销毁")


def test_after_retention_only_an_admin_with_a_reason_destroys_and_it_is_audited(
    db, archived, actor_for, monkeypatch
):
    _, view = archived
    paper = next(i for i in view.items if i.medium is Medium.PAPER)
    evidence = next(i for i in view.items if i.category == "evidence")
    after_paper = datetime.combine(paper.retain_until + timedelta(days=1), datetime.min.time(), UTC)
    monkeypatch.setattr(archives, "clock", lambda: after_paper + timedelta(hours=4))
    admin = actor_for(Role.ADMIN)
    for roles in ALL_ROLES:
        if Role.ADMIN not in roles:
            with pytest.raises(PermissionDenied):
                archives.destroy_items(actor_for(*roles), CODE, [paper.seq], "保管期满，经批准销毁")
    with pytest.raises(ValidationError, match="原因"):
        archives.destroy_items(admin, CODE, [paper.seq], " ")
    with pytest.raises(StateError, match="电子档案"):  # electronic lines are kept 5 years
        archives.destroy_items(admin, CODE, [paper.seq, evidence.seq], "保管期满，经批准销毁")
    assert archives.destroy_items(admin, CODE, [paper.seq], "保管期满，经档案室主任批准销毁") == 1
    item = next(i for i in archives.archive_index(admin, CODE).items if i.seq == paper.seq)
    assert item.destroyed_on == paper.retain_until + timedelta(days=1) and item.destroyed_by == admin.username
    with db.reading() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "archive.destroy")).one()
    assert "经档案室主任批准销毁" in event.summary and event.username == admin.username
    with pytest.raises(StateError, match="已于"):
        archives.destroy_items(admin, CODE, [paper.seq], "再次销毁的原因")
    # five years on, the evidence file itself is deleted
    after_all = datetime.combine(evidence.retain_until + timedelta(days=1), datetime.min.time(), UTC)
    monkeypatch.setattr(archives, "clock", lambda: after_all + timedelta(hours=4))
    archives.destroy_items(admin, CODE, [evidence.seq], "电子档案保管期满，经批准删除")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ApplicationEvidence)) == 0
    with pytest.raises(NotFound):
        archives.destroy_items(admin, CODE, [999], "不存在的条目")


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))


def test_package_verifies_like_a_batch_and_tampering_is_detected(db, archived, tmp_path):
    team_, _ = archived
    sup = team_["supervisor"]
    out = tmp_path / "archive.zip"
    info = archives.write_package(sup, CODE, out)
    report = verify_package(out)
    assert report.ok, report.problems
    assert report.manifest["format"] == "jlexam-sitting-archive"
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
    assert {
        INDEX,
        "documents/announcement.pdf",
        "documents/publicity.pdf",
        "records/certificates.csv",
    } <= names
    assert any(n.startswith("evidence/") for n in names)
    rows = read_index(out)
    assert {r["载体"] for r in rows} == {"纸质", "电子"} and all(r["保管期至"] for r in rows)
    assert archives.archive_index(sup, CODE).package_sha256 == info.sha256
    if OPENSSL:
        assert third_party_verifies(out, tmp_path / "x")

    bad = tmp_path / "tampered.zip"
    _rewrite(out, bad, lambda n, d: d.replace(b"HZ-2026-0001", b"HZ-2026-0002") if n.endswith(".csv") else d)
    report = verify_package(bad)
    assert not report.ok and any("被改动" in p for p in report.problems)
    if OPENSSL:
        assert not third_party_verifies(bad, tmp_path / "y")

    forged = tmp_path / "forged.zip"
    _rewrite(
        out, forged, lambda n, d: d.replace(b'"paper_years": 3', b'"paper_years": 30') if n == MANIFEST else d
    )
    report = verify_package(forged)
    assert not report.ok and any(p.startswith("签名") for p in report.problems)


def test_package_export_is_confidential_and_audited(db, archived, actor_for, tmp_path):
    team_, _ = archived
    wrong = {role: actor_for(role) for role in (Role.ADMIN, Role.EXAM_OFFICE, Role.DATA_CLERK)}
    before = _audit_count(db)
    for role, actor in wrong.items():
        with pytest.raises(PermissionDenied):
            archives.write_package(actor, CODE, tmp_path / f"{role.value}.zip")
        assert not (tmp_path / f"{role.value}.zip").exists()
    assert _audit_count(db) == before
    # an item writer assigned to the sitting is never named in the package (002 §33)
    with db.transaction() as s:
        writer = StaffMember(name="命题专家甲", roles="item_writer", certificate_number="")
        s.add(writer)
        s.flush()
        session_id = s.scalar(select(ExamSession.id))
        s.add(
            StaffAssignment(
                session_id=session_id, staff_id=writer.id, duty="clerk", assigned_at=datetime.now(UTC)
            )
        )
    out = tmp_path / "archive.zip"
    archives.write_package(team_["supervisor"], CODE, out)
    full_ids = [build_id_number("220102", date(1990, 3, 7), i).encode() for i in (1, 3, 5)]
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith(".xlsx"):
                data = b"".join(
                    zipfile.ZipFile(io.BytesIO(data)).read(n)
                    for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
                )
            assert not any(n in data for n in full_ids), name
            assert "命题专家甲".encode() not in data, name
    with db.reading() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "archive.export")).one()
    assert event.username == team_["supervisor"].username and "个人信息" in event.summary


def test_package_of_an_unarchived_sitting_is_refused(db, reported, tmp_path):
    with pytest.raises(JlexamError, match="尚未归档"):
        archives.write_package(reported["supervisor"], CODE, tmp_path / "a.zip")
