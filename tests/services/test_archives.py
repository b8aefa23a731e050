"""Archiving a reported sitting (002 §34-36): the index, retention, destruction, the signed package (issue 9)."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from jlexam.domain.idcard import build_id_number
from jlexam.domain.retention import Medium, add_years
from jlexam.errors import JlexamError, NotFound, PermissionDenied, StateError, ValidationError
from jlexam.exchange.archive_package import INDEX, read_index, verify_package
from jlexam.exchange.batch import MANIFEST
from jlexam.security.roles import Role
from jlexam.services import archives, certificates, eligibility, uploads
from jlexam.services.base import UnitOfWork
from jlexam.store.models import (
    Application,
    ApplicationEvidence,
    ArchiveItem,
    AuditEvent,
    Candidate,
    Certificate,
    CustodyEvent,
    ExamSession,
    Score,
    ScoreEntry,
    SeatAssignment,
    Sitting,
    SittingArchive,
    StaffAssignment,
    StaffMember,
    StockLedgerEntry,
)
from tests.services.test_certificates import final  # noqa: F401  (fixture)
from tests.services.test_scoring_publicity import CODE, decided, scored, team  # noqa: F401  (fixtures)
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
    with zipfile.ZipFile(out) as z:  # read years later by people: stored codes are written in Chinese
        certs_csv = z.read("records/certificates.csv").decode("utf-8-sig")
        apps_csv = z.read("records/applications.csv").decode("utf-8-sig")
    assert "有效" in certs_csv and "首次发证" in certs_csv and ",valid," not in certs_csv
    assert "通过" in apps_csv and ",approved," not in apps_csv
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


# --- the retention guard: no delete path bypasses it (002 §36) ----------------------------------------------
def _sitting_rows(s):  # type: ignore[no-untyped-def]
    app = s.scalars(select(Application).order_by(Application.id)).first()
    return [
        app,
        s.scalars(select(Score)).first(),
        s.scalars(select(SeatAssignment)).first(),
        s.scalars(select(CustodyEvent)).first(),
        s.scalars(select(Certificate)).first(),
        s.scalars(select(ApplicationEvidence)).first(),
        s.scalars(select(ArchiveItem)).first(),
        s.scalars(select(SittingArchive)).first(),
        s.scalars(select(AuditEvent)).first(),
        s.scalars(select(Candidate).where(Candidate.id == app.candidate_id)).first(),
        s.scalars(select(Sitting).where(Sitting.code == CODE)).first(),
    ]


def _counts(db) -> dict[str, int]:
    tables = (Application, Score, SeatAssignment, CustodyEvent, Certificate, ApplicationEvidence, ArchiveItem,
              AuditEvent, Candidate, Sitting, StaffAssignment)  # fmt: skip
    with db.reading() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in tables}


def test_no_role_deletes_a_kept_record_through_a_use_case_session(db, archived, actor_for):
    actors = [actor_for(*roles) for roles in ALL_ROLES]
    before = _counts(db)
    for actor in actors:
        with db.transaction() as s:
            rows = [r for r in _sitting_rows(s) if r is not None]
        assert len(rows) >= 9  # the fixture holds no custody log nor seat plan
        for row in rows:
            with pytest.raises(StateError) as info, db.transaction() as s:
                uow = UnitOfWork(session=s, actor=actor)  # what every use case is handed
                uow.session.delete(uow.session.merge(row))
                uow.session.flush()
            assert info.value.rule == "002 §36" and "保管期内任何人都不能删除" in info.value.message
    assert _counts(db) == before


@pytest.mark.parametrize(
    "statement",
    [
        lambda: delete(Score).where(Score.part == "theory"),
        lambda: delete(Application).where(Application.id > 0),
        lambda: delete(ScoreEntry),
        lambda: delete(ApplicationEvidence).where(ApplicationEvidence.id.in_(select(ApplicationEvidence.id))),
        lambda: delete(ArchiveItem),
        lambda: delete(AuditEvent),
        lambda: delete(StockLedgerEntry),
        lambda: text("DELETE FROM certificate"),
        lambda: text('delete from "sitting"'),
    ],
)
def test_bulk_and_raw_deletes_are_refused_within_retention(db, archived, actor_for, statement):
    admin = actor_for(*Role)
    before = _counts(db)
    with pytest.raises(StateError, match="保管期内任何人都不能删除"), db.transaction() as s:
        UnitOfWork(session=s, actor=admin).session.execute(statement())
    assert _counts(db) == before


def test_retention_cannot_be_shortened_nor_the_sitting_unarchived(db, archived):
    with pytest.raises(StateError, match="不能缩短"), db.transaction() as s:
        item = s.scalars(select(ArchiveItem)).first()
        item.retain_until = date(2020, 1, 1)
    with pytest.raises(StateError, match="不能更改"), db.transaction() as s:
        s.scalars(select(SittingArchive)).one().electronic_years = 1
    with pytest.raises(StateError, match="只能由系统管理员"), db.transaction() as s:
        s.scalars(select(ArchiveItem)).first().destroyed_on = date(2026, 1, 1)
    with pytest.raises(StateError, match="不能退回"), db.transaction() as s:
        s.scalars(select(Sitting).where(Sitting.code == CODE)).one().state = "reported"
    with pytest.raises(StateError, match="批量修改"), db.transaction() as s:
        s.execute(update(ArchiveItem).values(retain_until=date(2020, 1, 1)))


def test_after_retention_a_record_is_deleted_only_by_the_admins_destruction(
    db, archived, actor_for, monkeypatch
):
    _, view = archived
    later = datetime.combine(view.electronic_until + timedelta(days=1), datetime.min.time(), UTC)
    monkeypatch.setattr(archives, "clock", lambda: later + timedelta(hours=4))
    admin = actor_for(Role.ADMIN)
    # a plain delete, even by an administrator, is not a destruction: no reason, no audit event
    with pytest.raises(StateError, match="保管期已于") as info, db.transaction() as s:
        s.execute(delete(ScoreEntry))
    assert "写明原因" in info.value.message
    with pytest.raises(StateError, match="保管期已于"), db.transaction() as s:
        s.delete(s.scalars(select(ApplicationEvidence)).one())
    before = _audit_count(db)
    evidence = next(i for i in view.items if i.category == "evidence")
    assert archives.destroy_items(admin, CODE, [evidence.seq], "电子档案保管期满，经主任批准删除") == 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ApplicationEvidence)) == 0
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert _audit_count(db) == before + 1
    assert (
        event.action == "archive.destroy"
        and event.username == admin.username
        and "经主任批准" in event.summary
    )


def test_working_changes_of_an_unarchived_sitting_are_not_affected(db, final, actor_for):  # noqa: F811
    """Before the archive the guard does nothing: a sitting's working records may be replaced."""
    with db.transaction() as s:
        n = s.scalar(select(func.count()).select_from(ScoreEntry))
        assert n > 0
        s.execute(delete(ScoreEntry).where(ScoreEntry.id == s.scalar(select(func.min(ScoreEntry.id)))))
        s.rollback()
    with db.transaction() as s:
        s.delete(s.scalars(select(Score)).first())
        s.flush()
        s.rollback()


def test_full_id_views_are_limited_and_audited(db, archived, actor_for):
    """Every view of a full ID number is refused to the roles that do not need it, and audited (002 §31)."""
    from jlexam.services import candidates

    with db.reading() as s:
        cand = s.scalars(select(Candidate).order_by(Candidate.id)).first()
    for role in (Role.ADMIN, Role.DATA_CLERK):
        with pytest.raises(PermissionDenied):
            candidates.reveal_id_number(actor_for(role), cand.id, "核对证件")
    sup = archived[0]["supervisor"]
    with pytest.raises(ValidationError, match="原因"):
        candidates.reveal_id_number(sup, cand.id, " ")
    full = candidates.reveal_id_number(sup, cand.id, "核对证书更正申请")
    assert len(full) == 18 and full[-4:] == cand.id_number_masked[-4:]
    with db.reading() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "candidate.reveal_id")).one()
    assert (
        event.username == sup.username and "核对证书更正申请" in event.summary and full not in event.summary
    )


def test_a_certificate_corrected_after_the_report_is_reported_before_archiving(db, reported):
    sup = reported["supervisor"]
    cert = next(c for c in certificates.list_certificates(sup, CODE) if c.status == "valid")
    certificates.correct(
        sup, cert.number, "姓名录入错误，持身份证原件申请更正", date(2026, 11, 2), name="王更正"
    )
    with pytest.raises(StateError, match="不在已上报的批次中"):
        archives.archive_sitting(sup, CODE, SHELF)


def test_the_custody_log_is_closed_once_archived(db, archived):
    from jlexam.services import custody

    reported, _view = archived
    with pytest.raises(StateError, match="已归档"):
        custody.create_packet(reported["clerk1"], CODE, "P-LATE", "T-001", "A", 30)
