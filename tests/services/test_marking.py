"""Markers chosen from qualified assessors (002 §25), the lock of theory scores waiting for them, and the score
sheets per session and room (xlsx for entry, PDF for marking) written through the services."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from jlexam.errors import NotFound, PermissionDenied, StateError, StorageError, ValidationError
from jlexam.exchange import score_sheets
from jlexam.security.roles import Role
from jlexam.services import arrangement, marking, scoring, staffing, tickets
from jlexam.services.audit import search_events
from jlexam.services.staffing import StaffInput
from jlexam.store.models import AuditEvent, MarkerAssignment
from tests.services.arrangement_helpers import (
    CODE,
    approved,
    assessor,
    build_site,
    exam_day,
    sessions,
    staff_all,
)


@pytest.fixture
def team(actor_for):
    return {
        "office": actor_for(Role.EXAM_OFFICE),
        "clerk2": actor_for(Role.EXAM_OFFICE, Role.DATA_CLERK),
        "sup": actor_for(Role.SUPERVISOR),
        "data": actor_for(Role.DATA_CLERK),
    }


@pytest.fixture
def ticketed(db, admin, team):
    """12 level-4 electricians seated in two theory and two practical rooms, staff locked, the sitting held."""
    approved(admin, team)
    rooms = build_site(team["office"])
    theory, practical = sessions(team["office"])  # both theory rooms seat someone
    office = team["office"]
    arrangement.make_seat_plan(
        office, theory.id, [rooms["理论一"], rooms["理论二"]], seed=7, strategy="balanced"
    )
    arrangement.make_seat_plan(office, practical.id, [rooms["实操一"], rooms["实操二"]], seed=7)
    staff_all(office)
    staffing.lock_arrangement(team["sup"], CODE)
    tickets.issue_tickets(team["office"], CODE)
    exam_day(office)  # scores are entered once the sitting is held
    return rooms


def _enter_theory(team, marks="80"):
    sheet = scoring.entry_sheet(team["office"], CODE, "theory", 1)
    ids = [r.application_id for r in sheet]
    scoring.enter_scores(team["office"], CODE, "theory", 1, dict.fromkeys(ids, marks))
    scoring.enter_scores(team["clerk2"], CODE, "theory", 2, dict.fromkeys(ids, marks))
    return ids


def _count(db, model) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_theory_scores_wait_for_markers_then_lock(db, team, ticketed):
    office, sup = team["office"], team["sup"]
    theory, _ = sessions(office)
    _enter_theory(team)
    overview = {x.session_id: x for x in marking.marking_overview(sup, CODE, "theory")}
    assert not overview[theory.id].ok and overview[theory.id].candidates == 12
    with pytest.raises(StateError) as info:
        scoring.lock_scores(sup, CODE, "theory")
    assert info.value.rule == "002 §25" and "还没有阅卷人" in info.value.message
    assert "安排阅卷人" in info.value.message

    marker = staffing.add_staff(office, assessor("何阅卷"))
    view = marking.assign_marker(office, theory.id, marker.id, ticketed["理论一"])
    assert view.name == "何阅卷" and "理论一" in view.room and view.assigned_by == office.username
    with pytest.raises(StateError) as info:  # the second room still has none
        scoring.lock_scores(sup, CODE, "theory")
    assert "理论二" in info.value.message and "理论一" not in info.value.message

    other = staffing.add_staff(office, assessor("孔阅卷"))
    marking.assign_marker(sup, theory.id, "孔阅卷")  # by name, for the whole session
    rows = marking.marking_overview(sup, CODE, "theory")[0]
    assert rows.ok and {r.room.split("（")[-1]: r.markers for r in rows.rooms} == {
        "理论一）": ("何阅卷", "孔阅卷"),
        "理论二）": ("孔阅卷",),
    }
    assert sorted(m.name for m in marking.list_markers(office, CODE, "theory")) == ["何阅卷", "孔阅卷"]
    assert marking.list_markers(office, CODE, "practical") == []
    assert scoring.lock_scores(sup, CODE, "theory") == 12
    assert any("何阅卷" in e.summary and "阅卷人" in e.summary for e in search_events(sup, "选配"))

    # locked: the markers of that session are fixed
    with pytest.raises(StateError) as info:
        marking.unassign_marker(office, view.id)
    assert info.value.rule == "002 §25" and "已锁定" in info.value.message
    with pytest.raises(StateError):
        marking.assign_marker(office, theory.id, other.id, ticketed["理论二"])


def test_practical_rooms_are_marked_by_their_assessors(db, team, ticketed):
    overview = marking.marking_overview(team["sup"], CODE, "practical")[0]
    assert overview.ok and overview.markers == () and all(len(r.assessors) == 3 for r in overview.rooms)
    assert not marking.marking_overview(team["sup"], CODE, "theory")[0].ok


def test_only_qualified_assessors_can_mark(db, team, ticketed):
    office = team["office"]
    theory, _ = sessions(office)
    invigilator = staffing.add_staff(office, StaffInput("吕监考", ("invigilator",)))
    with pytest.raises(ValidationError) as info:
        marking.assign_marker(office, theory.id, invigilator.id)
    assert "吕监考" in info.value.message and "未登记为考评员" in info.value.message
    assert "002 第二十五条" in info.value.message

    expired = staffing.add_staff(office, assessor("施过期", valid_until=date(2026, 12, 1)))
    with pytest.raises(ValidationError) as info:
        marking.assign_marker(office, theory.id, expired.id)
    assert info.value.rule == "002 §38" and "施过期" in info.value.message and "有效期" in info.value.message

    junior = staffing.add_staff(office, assessor("张初级", max_level=5))
    with pytest.raises(ValidationError) as info:
        marking.assign_marker(office, theory.id, junior.id, ticketed["理论一"])
    assert "聘用范围" in info.value.message and "四级/中级工" in info.value.message

    elsewhere = staffing.add_staff(office, assessor("曹外行", occupations=("6-18-02-04",)))
    with pytest.raises(ValidationError, match="聘用范围"):
        marking.assign_marker(office, theory.id, elsewhere.id)

    good = staffing.add_staff(office, assessor("严合格"))
    staffing.update_staff(office, good.id, StaffInput(**{**assessor("严合格").__dict__, "active": False}))
    with pytest.raises(ValidationError, match="已停用"):
        marking.assign_marker(office, theory.id, good.id)

    with pytest.raises(NotFound, match="没有“无名氏”"):
        marking.assign_marker(office, theory.id, "无名氏")
    fine = staffing.add_staff(office, assessor("华阅卷"))
    with pytest.raises(ValidationError, match=r"不是.*安排了考生的考场"):
        marking.assign_marker(office, theory.id, fine.id, ticketed["实操一"])
    marking.assign_marker(office, theory.id, fine.id)
    with pytest.raises(ValidationError, match="无需重复选配"):
        marking.assign_marker(office, theory.id, fine.id, ticketed["理论一"])
    with pytest.raises(PermissionDenied):
        marking.assign_marker(team["data"], theory.id, fine.id)
    choices = marking.marker_choices(office, theory.id)
    assert [c.name for c in choices if c.qualified][:1] and all(
        c.qualified for c in choices[: sum(c.qualified for c in choices)]
    )
    assert {c.name for c in choices if not c.qualified} >= {"施过期", "张初级", "曹外行", "严合格"}
    assert _count(db, MarkerAssignment) == 1


def test_unassign_is_audited(db, team, ticketed):
    office = team["office"]
    theory, _ = sessions(office)
    person = staffing.add_staff(office, assessor("邹阅卷"))
    view = marking.assign_marker(office, theory.id, person.id, ticketed["理论二"])
    before = _count(db, AuditEvent)
    marking.unassign_marker(office, view.id)
    assert marking.list_markers(office, CODE) == []
    assert _count(db, AuditEvent) == before + 1
    assert any("取消 邹阅卷" in e.summary for e in search_events(team["sup"], "阅卷"))
    with pytest.raises(NotFound):
        marking.unassign_marker(office, view.id)


# --- score sheets ---------------------------------------------------------------------------------------
def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return re.sub(r"\s", "", "".join(page.get_textpage().get_text_range() for page in pdf))
    finally:
        pdf.close()


def test_score_sheets_per_room_in_seat_order_with_markers(db, team, ticketed, tmp_path):
    office = team["office"]
    theory, _ = sessions(office)
    person = staffing.add_staff(office, assessor("何阅卷"))
    marking.assign_marker(office, theory.id, person.id, ticketed["理论一"])
    out = tmp_path / "sheets"
    files = scoring.write_score_sheets(office, CODE, "theory", 1, out)
    assert len(files) == 2 and sum(f.candidates for f in files) == 12
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f.xlsx.name for f in files] + [f.pdf.name for f in files]
    )  # nothing else left behind (no staging folder)
    first = next(f for f in files if "理论一" in f.room)
    assert first.markers == ("何阅卷",) and "第01考场" in first.xlsx.name

    sheet = load_workbook(first.xlsx)[score_sheets.SHEET]
    data = list(sheet.iter_rows(min_row=score_sheets.FIRST_DATA_ROW, values_only=True))
    seats = [int(r[5]) for r in data]
    assert seats == sorted(seats) and len(data) == first.candidates
    assert all(re.fullmatch(r"\d{10,}", r[1]) for r in data)  # ticket numbers
    assert sheet.protection.sheet
    for row in sheet.iter_rows(min_row=score_sheets.FIRST_DATA_ROW):
        for cell in row:
            unlocked = cell.column_letter in (score_sheets.SCORE_COLUMN, score_sheets.REMARK_COLUMN)
            assert cell.protection.locked is not unlocked, cell.coordinate

    text = _pdf_text(first.pdf)
    assert "理论知识考试评分记录表" in text and "何阅卷" in text and "考评员签字" in text
    assert all(r[1] in text for r in data)
    assert "未选配" in _pdf_text(next(f for f in files if f is not first).pdf)
    assert any("成绩录入表" in e.summary for e in search_events(team["sup"], "录入表"))

    # a clerk fills their sheet and imports it as their round
    for row in sheet.iter_rows(min_row=score_sheets.FIRST_DATA_ROW):
        row[6].value = 77
    filled = tmp_path / "filled.xlsx"
    sheet.parent.save(filled)
    assert scoring.import_score_workbook(office, CODE, "theory", 1, filled) == first.candidates


def test_whole_part_sheet_and_pdf_beside_it(db, team, ticketed, tmp_path):
    out = tmp_path / "all.xlsx"
    files = scoring.write_score_sheets(team["sup"], CODE, "practical", 2, out, by_room=False)
    assert [f.xlsx for f in files] == [out] and files[0].pdf == tmp_path / "all.pdf"
    assert files[0].candidates == 12 and len(files[0].markers) == 6  # the two rooms' assessors
    assert out.exists() and (tmp_path / "all.pdf").read_bytes().startswith(b"%PDF")


def test_score_sheets_are_written_all_or_nothing(db, team, ticketed, tmp_path, monkeypatch):
    out = tmp_path / "sheets"
    out.mkdir()
    calls = []
    real = score_sheets.render_score_sheet_pdf

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(score_sheets, "render_score_sheet_pdf", failing)
    before = _count(db, AuditEvent)
    with pytest.raises(StorageError, match="没有写出任何新文件"):
        scoring.write_score_sheets(team["office"], CODE, "theory", 1, out)
    assert list(out.iterdir()) == [] and _count(db, AuditEvent) == before
    with pytest.raises(ValidationError, match="录入轮次"):
        scoring.write_score_sheets(team["office"], CODE, "theory", 3, out)
    with pytest.raises(ValidationError, match="至少选择一种格式"):
        scoring.write_score_sheets(team["office"], CODE, "theory", 1, out, xlsx=False, pdf=False)
    with pytest.raises(PermissionDenied):
        scoring.write_score_sheets(team["data"], CODE, "theory", 1, out)
