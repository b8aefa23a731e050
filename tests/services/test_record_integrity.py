"""Records a sitting relies on do not change under an auditor after the fact (002 §20-21, §26, §36): printed
photos, the people and rooms of a locked arrangement, and the institution's name on an issued certificate."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace
from datetime import date

import pypdfium2
import pytest
from sqlalchemy import select

from jlexam.demo.institution import demo_institution
from jlexam.demo.photos import make_photo
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.errors import PermissionDenied, StateError, ValidationError
from jlexam.services import arrangement, certificates, institution, photos, staffing, tickets, uploads
from jlexam.services.arrangement import RoomInput
from jlexam.services.staffing import StaffInput
from jlexam.store.models import AuditEvent, Candidate, CandidatePhoto
from tests.services.arrangement_helpers import (
    CODE,
    ROOMS,
    approved,
    arranged,
    assessor,
    build_site,
    plan_all,
    staff_all,
)
from tests.services.test_archives import archived, reported  # noqa: F401  (fixtures)
from tests.services.test_certificates import final  # noqa: F401  (fixture)
from tests.services.test_scoring_publicity import decided, scored, team  # noqa: F401  (fixtures)

REASON = "考生提交的原照片非本人近照，经核对身份证后更换"


def _crew(team):  # noqa: F811
    """The arrangement helpers' names for the scoring tests' team."""
    return {"office": team["clerk1"], "sup": team["supervisor"]}


def _photo_folder(path, photos_by_seq: dict[int, int]):
    """Files named by the ID numbers of ``person(seq)`` (tests.services.helpers), each a distinct photo."""
    path.mkdir()
    for seq, seed in photos_by_seq.items():
        number = build_id_number("220102", date(1990, 3, 7), seq)
        (path / f"{number}.jpg").write_bytes(make_photo(seed, Sex.MALE if seq % 2 else Sex.FEMALE))
    return path


def _photo_hashes(db) -> dict[str, str]:
    with db.reading() as s:
        return dict(
            s.execute(
                select(Candidate.name, CandidatePhoto.sha256).join(
                    CandidatePhoto, CandidatePhoto.candidate_id == Candidate.id
                )
            ).all()
        )


def _audits(db, action: str) -> list[str]:
    with db.reading() as s:
        return list(
            s.scalars(select(AuditEvent.summary).where(AuditEvent.action == action).order_by(AuditEvent.seq))
        )


def _file_of(seq: int) -> str:
    return f"{build_id_number('220102', date(1990, 3, 7), seq)}.jpg"


# --- photos ------------------------------------------------------------------------------------------------
def test_a_photo_printed_on_tickets_is_replaced_only_by_a_supervisor_with_a_reason(db, admin, team, tmp_path):  # noqa: F811
    crew = _crew(team)
    office, sup = crew["office"], crew["sup"]
    arranged(admin, crew)
    first = photos.import_photos(office, CODE, _photo_folder(tmp_path / "first", {1: 1, 3: 3}))
    assert first.imported == 2 and not first.problems
    before = _photo_hashes(db)
    staffing.lock_arrangement(sup, CODE)
    tickets.issue_tickets(office, CODE)

    # 考生1 has a printed photo: not replaced; 考生5 had none: added; the import goes on.
    folder = _photo_folder(tmp_path / "second", {1: 11, 5: 5})
    report = photos.import_photos(office, CODE, folder)
    assert (report.imported, report.replaced) == (1, 0)
    problems = dict(report.problems)
    assert list(problems) == [_file_of(1)]
    assert "考生1" in problems[_file_of(1)] and CODE in problems[_file_of(1)]
    assert "已发放准考证" in problems[_file_of(1)] and "002 第二十条" in problems[_file_of(1)]
    after = _photo_hashes(db)
    assert after["考生1"] == before["考生1"] and after["考生3"] == before["考生3"] and "考生5" in after

    # The supervised change: a supervisor, a reason, audited with the photo replaced.
    with pytest.raises(PermissionDenied):
        photos.replace_printed_photos(office, CODE, folder, REASON)
    for empty in ("", "更换", "换换换换换"):
        with pytest.raises(ValidationError) as info:
            photos.replace_printed_photos(sup, CODE, folder, empty)
        assert info.value.rule == "002 §20"
    assert _photo_hashes(db) == after
    supervised = photos.replace_printed_photos(sup, CODE, folder, REASON)
    assert supervised.replaced == 1 and not supervised.problems  # 考生5's photo is already the same
    assert _photo_hashes(db)["考生1"] != before["考生1"]
    (summary,) = _audits(db, "photo.replace")
    assert "考生1" in summary and REASON in summary and before["考生1"][:12] in summary

    # A supervisor does not add photos nobody printed: that stays the exam office's import.
    extra = photos.replace_printed_photos(sup, CODE, _photo_folder(tmp_path / "third", {7: 7}), REASON)
    assert extra.imported == extra.replaced == 0 and "无需主考/督导办理" in dict(extra.problems)[_file_of(7)]


def test_no_photo_is_replaced_once_the_sitting_is_archived(db, archived, tmp_path):  # noqa: F811
    crew, _ = archived
    with db.transaction() as s:  # 考生1 had a photo when the sitting was archived
        candidate_id = s.scalar(select(Candidate.id).where(Candidate.name == "考生1"))
        jpeg = make_photo(1, Sex.MALE)
        s.add(CandidatePhoto(candidate_id=candidate_id, jpeg=jpeg, sha256=hashlib.sha256(jpeg).hexdigest()))
    before = _photo_hashes(db)
    folder = _photo_folder(tmp_path / "late", {1: 21, 3: 3})  # 考生3 had none: not added either
    for attempt in (
        lambda: photos.import_photos(crew["clerk1"], CODE, folder),
        lambda: photos.replace_printed_photos(crew["supervisor"], CODE, folder, REASON),
    ):
        with pytest.raises(StateError) as info:
            attempt()
        assert info.value.rule == "002 §36" and "已归档" in info.value.message and CODE in info.value.message
    assert _photo_hashes(db) == before


# --- staff -------------------------------------------------------------------------------------------------
def _an_assessor(office) -> tuple[int, StaffInput]:
    view = next(v for v in staffing.list_staff(office, "assessor"))
    return view.id, assessor(view.name)


def test_a_person_of_a_locked_arrangement_keeps_name_and_qualification(db, admin, team):  # noqa: F811
    crew = _crew(team)
    office, sup = crew["office"], crew["sup"]
    arranged(admin, crew)
    staff_id, item = _an_assessor(office)
    # Before the lock the registry is the office's to correct.
    item = replace(item, name=item.name + "甲")
    staffing.update_staff(office, staff_id, item)
    staffing.lock_arrangement(sup, CODE)

    rewrites = {
        "姓名": replace(item, name="另一个人"),
        "证书编号": replace(item, certificate_number="KP-改过"),
        "可考评的职业": replace(item, occupations=("6-31-01-03", "6-18-02-04")),
        "可考评的最高等级": replace(item, max_level=4),
        "聘用日期": replace(item, appointed_on=date(2025, 6, 1)),
        "聘用有效期": replace(item, valid_until=date(2027, 6, 30)),
        "岗位": replace(item, roles=("invigilator",)),
    }
    for field_label, changed in rewrites.items():
        with pytest.raises(StateError) as info:
            staffing.update_staff(office, staff_id, changed)
        assert info.value.rule == "002 §21", field_label
        assert field_label in info.value.message and CODE in info.value.message, field_label
        assert "另行登记" in info.value.message
    assert next(v for v in staffing.list_staff(office) if v.id == staff_id).name == item.name

    # Extending the appointment's end, the employer, an added role and stopping the person stay possible.
    later = replace(
        item, valid_until=date(2028, 1, 1), employer="长春市第二中学", roles=("assessor", "clerk")
    )
    staffing.update_staff(office, staff_id, later)
    summary = _audits(db, "staff.update")[-1]
    assert "有效期至 2027-12-31 → 2028-01-01" in summary and "工作单位" in summary
    staffing.update_staff(office, staff_id, replace(later, active=False))
    # Someone on no locked arrangement is still corrected freely.
    spare = staffing.add_staff(office, StaffInput("备用监考", ("invigilator",)))
    assert (
        staffing.update_staff(office, spare.id, StaffInput("备用监考员", ("invigilator",))).name
        == "备用监考员"
    )


def test_a_person_of_an_archived_sitting_is_not_renamed(db, archived):  # noqa: F811
    crew, _ = archived
    office = crew["clerk1"]
    staff_id, item = _an_assessor(office)
    with pytest.raises(StateError) as info:
        staffing.update_staff(office, staff_id, replace(item, name="改名考评员"))
    assert info.value.rule == "002 §21" and CODE in info.value.message and "姓名" in info.value.message


# --- rooms -------------------------------------------------------------------------------------------------
def _room(room: str, **changes) -> RoomInput:
    """The room as build_site added it, with ``changes``."""
    kind, rows, columns = ROOMS[room]
    return replace(RoomInput(room, kind, rows, columns, video_surveillance=True), **changes)


def test_a_room_of_a_locked_seat_plan_does_not_change(db, admin, team):  # noqa: F811
    crew = _crew(team)
    office, sup = crew["office"], crew["sup"]
    approved(admin, crew)
    rooms = build_site(office)
    plan_all(office, rooms)
    staff_all(office)
    # Only draft plans use it yet: it still changes.
    arrangement.update_room(office, rooms["理论一"], _room("理论一", name="理论一（东）"))
    arrangement.update_room(office, rooms["理论一"], _room("理论一"))
    staffing.lock_arrangement(sup, CODE)
    arrangement.update_room(office, rooms["理论一"], _room("理论一"))  # nothing changes: accepted
    arrangement.update_room(office, rooms["考务办公室"], _room("考务办公室", name="考务办公室（二楼）"))
    tickets.issue_tickets(office, CODE)
    for name, changed in (
        ("理论一", _room("理论一", name="理论一（东）")),
        ("理论一", _room("理论一", video_surveillance=False)),
        ("理论二", _room("理论二", seats_out_of_use="1-1")),
        ("实操二", _room("实操二", rows=3)),
    ):
        with pytest.raises(StateError) as info:
            arrangement.update_room(office, rooms[name], changed)
        assert info.value.rule == "002 §20" and CODE in info.value.message, changed


def test_a_room_of_an_archived_sitting_does_not_change(db, archived):  # noqa: F811
    crew, _ = archived
    office = crew["clerk1"]
    room = next(r for r in arrangement.list_rooms(office, "theory") if r.name == "理论一")
    with pytest.raises(StateError) as info:
        arrangement.update_room(office, room.id, _room("理论一", name="新理论一"))
    assert (
        info.value.rule == "002 §20" and CODE in info.value.message and "新增一个考场" in info.value.message
    )
    assert next(r for r in arrangement.list_rooms(office, "theory") if r.id == room.id).name == "理论一"


# --- certificates ------------------------------------------------------------------------------------------
def _pdf_text(path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_a_certificate_is_reprinted_with_the_name_it_was_issued_under(db, admin, final, tmp_path):  # noqa: F811
    sup = final["supervisor"]
    old_name = demo_institution()["filed_name"]
    new_name = "吉林省改名后职业技术学院"
    (number,) = certificates.issue_certificates(sup, CODE, date(2026, 10, 14))
    view = institution.get_institution(admin)
    institution.save_institution(admin, replace(view.form, name=new_name))
    assert institution.get_institution(admin).form.name == new_name
    for mode in ("full", "blank"):
        out = tmp_path / f"reprint-{mode}.pdf"
        certificates.write_certificates(sup, [number], out, mode=mode)
        text = _pdf_text(out)
        assert old_name in text and new_name not in text, mode
    # the upload record names the institution as printed on the certificate (002 §28)
    batch = tmp_path / "batch.zip"
    uploads.export_batch(final["clerk2"], [number], batch)
    with zipfile.ZipFile(batch) as z:
        rows = z.read("certificates.csv").decode("utf-8-sig")
    assert old_name in rows and new_name not in rows
    # A reissue is a new certificate, issued under the institution's name of its own day.
    new = certificates.reissue(sup, number, "持证人遗失，本人申请补发", date(2026, 10, 20))
    out = tmp_path / "reissue.pdf"
    certificates.write_certificates(sup, [new], out)
    assert new_name in _pdf_text(out)
