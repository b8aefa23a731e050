"""Room documents: door list, seat chart, sign-in sheet with photos, room record (002 §20, attachment 9)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from jlexam.demo.people import make_people
from jlexam.demo.photos import make_photo
from jlexam.documents.room_docs import (
    RoomCandidate,
    RoomRecord,
    RoomSheet,
    render_door_list,
    render_room_record,
    render_seat_chart,
    render_sign_in_sheet,
)
from jlexam.domain.masking import mask_id_number
from jlexam.domain.seating import RoomSpec, Seatee, allocate
from jlexam.domain.tickets import make_ticket_number
from jlexam.exchange.catalogue import occupations_by_code

RARE = "欧阳𠇔𡈼"


@pytest.fixture(scope="module")
def sheets() -> tuple[list[RoomSheet], list[str]]:
    occupations = occupations_by_code()
    codes = list(occupations)[:2]
    people = make_people(40, 5, [(c, occupations[c].levels) for c in codes], date(2025, 5, 1))
    people[0] = dataclasses.replace(people[0], name=RARE)
    rooms = [RoomSpec(1, "第01考场", 5, 5, frozenset({(5, 5)})), RoomSpec(2, "第02考场", 5, 5)]
    plan = allocate(
        [Seatee(i, (p.occupation_code, int(p.level)), p.employer) for i, p in enumerate(people)],
        rooms,
        seed=7,
    )
    result = []
    for room in rooms:
        candidates = []
        for seat, app in plan.by_room()[room.room_id]:
            p = people[app]
            candidates.append(
                RoomCandidate(
                    seat.number, make_ticket_number(2503, room.room_id, seat.number), p.name,
                    mask_id_number(p.id_number), p.sex.label, f"{occupations[p.occupation_code].name} {p.level.written}",
                    make_photo(app, p.sex) if app % 4 else None, seat.row, seat.column,
                )
            )  # fmt: skip
        result.append(
            RoomSheet(
                "吉林省长春职业技术学院职业技能等级认定中心", "2025年第三批职业技能等级认定", "JL2025-03", room.name,
                f"教学楼30{room.room_id}", "理论知识考试", datetime(2025, 6, 14, 9), datetime(2025, 6, 14, 10, 30),
                candidates, room.rows, room.columns, room.seats_out_of_use, ("王监考", "李监考"),
            )
        )  # fmt: skip
    return result, [p.id_number for p in people]


def _text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def _check_common(path: Path, sheets: list[RoomSheet], ids: list[str], title: str) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile2" in data
    text = _text(path)
    assert title in text.replace(" ", "")
    for sheet in sheets:
        assert sheet.room_name in text
        for c in sheet.candidates:
            assert c.name in text and c.ticket_number in text
    assert RARE in text
    assert not any(number in text for number in ids)
    assert not list(path.parent.glob(".*.partial"))
    return text


def test_door_list(sheets, tmp_path) -> None:
    rooms, ids = sheets
    path = tmp_path / "door.pdf"
    render_door_list(rooms, path)
    text = _check_common(path, rooms, ids, "考场门贴")
    assert "理论知识考试" in text and f"{len(rooms[0].candidates)} 人" in text


def test_seat_chart(sheets, tmp_path) -> None:
    rooms, ids = sheets
    path = tmp_path / "chart.pdf"
    render_seat_chart(rooms, path)
    text = _check_common(path, rooms, ids, "考场座位表")
    assert "讲" in text and "停用" in text  # the front of the room and the seat out of use
    assert len(pdfium.PdfDocument(str(path))) == 2  # one landscape page a room


def test_sign_in_sheet_has_photos_and_a_signature_column(sheets, tmp_path) -> None:
    rooms, ids = sheets
    path = tmp_path / "signin.pdf"
    render_sign_in_sheet(rooms, path)
    text = _check_common(path, rooms, ids, "考生签到表")
    assert "考生签名" in text and "监考员签名" in text
    for c in rooms[0].candidates:
        assert c.masked_id in text
    data = path.read_bytes()
    photos = {c.photo for r in rooms for c in r.candidates if c.photo}
    assert data.count(b"/Subtype /Image") >= len(photos)
    # Each JPEG is embedded as it is (draw_photo, DCTDecode), once, not decoded and encoded again.
    assert all(data.count(jpeg) == 1 for jpeg in photos)
    assert b"/DCTDecode" in data


def test_sign_in_sheet_photos_keep_their_proportions(sheets, tmp_path) -> None:
    rooms, _ = sheets
    path = tmp_path / "signin.pdf"
    render_sign_in_sheet(rooms[:1], path)
    page = pdfium.PdfDocument(str(path))[0]
    images = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert images
    for image in images:
        left, bottom, right, top = image.get_bounds()
        width, height = image.get_px_size()
        assert abs((right - left) / (top - bottom) - width / height) < 0.02


def test_room_record_blank_and_filled(sheets, tmp_path) -> None:
    rooms, _ = sheets
    blank = tmp_path / "record.pdf"
    render_room_record(rooms, blank)
    text = _text(blank)
    for part in ("考场记录表", "缺考考生", "违纪、作弊情况", "突发事件及处置情况", "监考员签名", "王监考"):
        assert part in text.replace(" ", "") or part in text

    absent = rooms[0].candidates[:2]
    record = RoomRecord(
        absent=absent,
        misconduct=[f"{rooms[0].candidates[3].ticket_number} 携带手机进入考场，已按规定处理"],
        incidents=["10:05 停电 3 分钟，延长考试时间 3 分钟并报告主考"],
    )
    filled = tmp_path / "record-filled.pdf"
    render_room_record(rooms[:1], filled, [record])
    text = _text(filled)
    assert all(c.name in text and c.ticket_number in text for c in absent)
    assert "携带手机" in text and "停电" in text
    assert f"{len(rooms[0].candidates) - 2} 人" in text  # present

    with pytest.raises(ValueError):
        render_room_record(rooms, tmp_path / "x.pdf", [record])


def test_single_room_is_accepted(sheets, tmp_path) -> None:
    rooms, _ = sheets
    path = tmp_path / "one.pdf"
    render_door_list(rooms[1], path)
    assert rooms[1].room_name in _text(path)


def test_sign_in_sheet_names_the_room_on_every_page_and_keeps_rows_with_the_signatures(
    sheets, tmp_path
) -> None:
    rooms, _ = sheets
    path = tmp_path / "sign_in.pdf"
    render_sign_in_sheet(rooms, path)
    doc = pdfium.PdfDocument(str(path))
    pages = [page.get_textpage().get_text_range() for page in doc]
    doc.close()
    assert len(pages) > len(rooms)  # some room runs over a page: its continuation must say which room
    for text in pages:
        named = [r for r in rooms if r.room_name in text]
        assert len(named) == 1, text[-200:]
        if "监考员签名" in text:  # the signatures never stand alone on a page
            tickets = [c.ticket_number for c in named[0].candidates]
            assert sum(t in text for t in tickets) >= 2
