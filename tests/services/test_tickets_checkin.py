"""Admission tickets (002 §20): numbers, the PDF whose QR code decodes at 300 dpi and verifies, room
documents; check-in by scan and by hand with every refusal; absences, incidents, and the end of the day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jlexam.domain.tickets import check_ticket_number, ticket_payload
from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.security.tokens import TICKET, decode_token, encode_token
from jlexam.services import checkin, sittings, staffing, tickets
from jlexam.services.base import keystore_for, utcnow
from tests.services.arrangement_helpers import (
    CODE,
    arranged,
    sessions,
)


@pytest.fixture
def team(actor_for):
    return {"office": actor_for(Role.EXAM_OFFICE), "sup": actor_for(Role.SUPERVISOR)}


@pytest.fixture
def ticketed(db, admin, team):
    arranged(admin, team)
    staffing.lock_arrangement(team["sup"], CODE)
    assert tickets.issue_tickets(team["office"], CODE) == 12
    return tickets.ticket_tokens(team["office"], CODE)


def test_tickets_need_the_locked_arrangement(db, admin, team):
    arranged(admin, team)
    with pytest.raises(StateError) as info:
        tickets.issue_tickets(team["office"], CODE)
    assert info.value.rule == "002 §20"


def test_ticket_numbers_and_state(db, team, ticketed):
    rows = tickets.list_tickets(team["sup"], CODE)
    numbers = [r.number for r in rows]
    assert len(set(numbers)) == 12 and all(check_ticket_number(n) for n in numbers)
    assert all(n.startswith("2601") for n in numbers)  # the first sitting of 2026
    first = rows[0]
    assert first.number[4:6] == "01" and int(first.number[6:9]) == first.seat
    assert sittings.list_sittings(team["sup"])[0].state.value == "ticketed"
    with pytest.raises(StateError, match="已发放"):
        tickets.issue_tickets(team["office"], CODE)


def test_tickets_pdf_qr_decodes_at_300_dpi_and_verifies(db, team, ticketed, tmp_path):
    import pypdfium2
    import zxingcpp

    out = tmp_path / "tickets.pdf"
    assert tickets.write_tickets(team["office"], CODE, out, workers=1) == 12
    page = pypdfium2.PdfDocument(str(out))[0]
    image = page.render(scale=300 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    tokens = [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(tokens) == 2  # two tickets to a page
    keys = keystore_for(db).public_keys()
    payloads = [decode_token(t, keys, "jlexam-ticket") for t in tokens]
    numbers = {r.number for r in tickets.list_tickets(team["sup"], CODE)}
    assert all(p["no"] in numbers and p["sitting"] == CODE and "*" in p["id"] for p in payloads)
    assert set(tokens) <= set(ticketed.values())
    text = page.get_textpage().get_text_range()
    assert "准考证" in text


def test_room_documents(db, team, ticketed, tmp_path):
    files = tickets.write_room_documents(team["office"], CODE, tmp_path)
    assert [f.name for f in files] == ["door-list.pdf", "seat-chart.pdf", "sign-in.pdf", "room-record.pdf"]
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)


def _before(session) -> datetime:
    return session.starts_at - timedelta(minutes=10)


def test_check_in_by_scan_and_every_refusal(db, team, ticketed):
    office = team["office"]
    theory, practical = sessions(office)
    app_id, token = next(iter(ticketed.items()))
    good = checkin.check_in_scan(office, theory.id, token, now=_before(theory))
    assert good.ok and good.colour == "green" and good.application_id == app_id
    assert good.room.startswith("第01考场") and good.seat and good.name.startswith("考生")
    again = checkin.check_in_scan(office, theory.id, token, now=_before(theory))
    assert not again.ok and again.colour == "red" and "已签到" in again.message
    forged = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    bad = checkin.check_in_scan(office, theory.id, forged, now=_before(theory))
    assert not bad.ok and ("伪造" in bad.message or "格式" in bad.message)
    tampered = checkin.check_in_scan(office, theory.id, "not a token", now=_before(theory))
    assert not tampered.ok and "拒绝" in tampered.message
    other = ticket_payload("2602010017", "外批次", "220102********1234", "6-31-01-03", 4, "S2027-01", [])
    foreign = encode_token(keystore_for(db).signing_key(), TICKET, other)
    refused = checkin.check_in_scan(office, theory.id, foreign, now=_before(theory))
    assert not refused.ok and "S2027-01" in refused.message and "不是本批次" in refused.message
    late_token = list(ticketed.values())[1]
    late = checkin.check_in_scan(office, theory.id, late_token, now=theory.starts_at + timedelta(minutes=16))
    assert not late.ok and "开考 15 分钟后不得入场" in late.message
    in_time = checkin.check_in_scan(
        office, theory.id, late_token, now=theory.starts_at + timedelta(minutes=14)
    )
    assert in_time.ok
    summary = checkin.checkin_summary(team["sup"], theory.id)
    assert (summary.expected, summary.checked_in, summary.absent) == (12, 2, 0)
    # The practical session is its own check-in.
    assert checkin.check_in_scan(office, practical.id, token, now=_before(practical)).ok


def test_wrong_session_is_refused(db, admin, team):
    from jlexam.services import arrangement

    arranged(admin, team)
    # A second theory session for level 3 only: nobody of this sitting sits it.
    at = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)
    extra = sittings.add_session(
        team["office"], CODE, "theory", at, at + timedelta(minutes=90), "6-31-01-03", 3
    )
    assert arrangement.sessions_for(team["office"], CODE)[1][2] == 0
    staffing.lock_arrangement(team["sup"], CODE)
    tickets.issue_tickets(team["office"], CODE)
    token = next(iter(tickets.ticket_tokens(team["office"], CODE).values()))
    result = checkin.check_in_scan(team["office"], extra.id, token, now=_before(extra))
    assert (
        not result.ok
        and "不参加本场次" in result.message
        and "理论知识考试（2026-12-12 09:00）" in result.message
    )


def test_entry_cutoff_is_a_setting(db, admin, team, ticketed):
    theory, _ = sessions(team["office"])
    checkin.set_entry_cutoff(admin, 30)
    assert checkin.entry_cutoff_minutes(team["office"]) == 30
    token = next(iter(ticketed.values()))
    assert checkin.check_in_scan(
        team["office"], theory.id, token, now=theory.starts_at + timedelta(minutes=20)
    ).ok


def test_manual_check_in_needs_a_reason(db, team, ticketed):
    office = team["office"]
    theory, _ = sessions(office)
    rows = tickets.list_tickets(office, CODE)
    with pytest.raises(ValidationError, match="理由"):
        checkin.check_in_manual(office, theory.id, "", ticket_number=rows[0].number, now=_before(theory))
    with pytest.raises(ValidationError, match="校验位"):
        checkin.check_in_manual(
            office,
            theory.id,
            "二维码无法识别",
            ticket_number=rows[0].number[:-1] + "0"
            if rows[0].number[-1] != "0"
            else rows[0].number[:-1] + "1",
            now=_before(theory),
        )
    by_number = checkin.check_in_manual(
        office, theory.id, "二维码无法识别", ticket_number=rows[0].number, now=_before(theory)
    )
    assert by_number.ok and by_number.ticket_number == rows[0].number
    by_name = checkin.check_in_manual(
        office, theory.id, "准考证遗失，已核验身份证件", name=rows[1].name, now=_before(theory)
    )
    assert by_name.ok and by_name.application_id == rows[1].application_id
    assert checkin.checkin_summary(office, theory.id).manual == 2


def test_absences_incidents_and_the_end_of_the_day(db, team, ticketed, tmp_path):
    office = team["office"]
    theory, practical = sessions(office)
    tokens = list(ticketed.values())
    for token in tokens[:10]:
        assert checkin.check_in_scan(office, theory.id, token, now=_before(theory)).ok
        assert checkin.check_in_scan(office, practical.id, token, now=_before(practical)).ok
    with pytest.raises(StateError, match="才停止入场"):
        checkin.record_absences(office, theory.id, now=theory.starts_at)
    assert checkin.record_absences(office, theory.id, now=theory.starts_at + timedelta(minutes=20)) == 2
    assert checkin.record_absences(office, theory.id, now=theory.starts_at + timedelta(minutes=21)) == 0
    rows = tickets.list_tickets(office, CODE)
    present = next(r for r in rows if r.application_id == next(iter(ticketed)))
    room = present.room.split("（")[1].rstrip("）")
    checkin.record_room_event(
        office, theory.id, room, "misconduct", "携带手机进入考场，已按规定处理", ticket_number=present.number
    )
    checkin.record_room_event(office, theory.id, room, "incident", "10:05 停电 3 分钟，延长考试 3 分钟")
    with pytest.raises(ValidationError, match="违纪记录须指明考生"):
        checkin.record_room_event(office, theory.id, room, "misconduct", "有人说话")
    events = checkin.room_events(team["sup"], theory.id)
    assert sorted(e.kind for e in events) == ["absent", "absent", "incident", "misconduct"]
    assert all(e.signed_by for e in events)
    path = tickets.write_room_records(office, CODE, tmp_path / "records.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    end = practical.ends_at + timedelta(minutes=1)
    with pytest.raises(StateError, match="尚未结束"):
        checkin.mark_held(office, CODE, now=practical.starts_at)
    with pytest.raises(StateError) as info:
        checkin.mark_held(office, CODE, now=end)
    assert info.value.rule == "002 §23"
    ids = sorted({a.staff_id for a in staffing.list_assignments(office, CODE)})
    staffing.record_briefing(office, CODE, theory.starts_at - timedelta(days=1), "考务办公室", ids)
    with pytest.raises(StateError, match="未签到也未登记缺考"):
        checkin.mark_held(office, CODE, now=end)
    checkin.record_absences(office, practical.id, now=end)
    checkin.mark_held(office, CODE, now=end)
    assert sittings.list_sittings(team["sup"])[0].state.value == "held"
    with pytest.raises(
        StateError, match="不能再补登考务会"
    ):  # 002 §23: the briefing comes before the sitting
        staffing.record_briefing(office, CODE, theory.starts_at - timedelta(hours=2), "考务办公室", ids)


def test_photos_named_by_ticket_number(db, team, ticketed, tmp_path):
    from jlexam.demo.photos import make_photo
    from jlexam.domain.idcard import Sex
    from jlexam.services.photos import import_photos

    first = tickets.list_tickets(team["sup"], CODE)[0]
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / f"{first.number}.jpg").write_bytes(make_photo(7, Sex.FEMALE))
    (folder / "2601019999.jpg").write_bytes(make_photo(8, Sex.MALE))  # not a valid ticket number
    report = import_photos(team["office"], CODE, folder)
    assert (report.imported + report.replaced) == 1
    assert "准考证号" in dict(report.problems)["2601019999.jpg"]


def test_seat_change_after_tickets_is_reprinted_and_keeps_room_numbers(db, team, ticketed, tmp_path):
    import pypdfium2
    from sqlalchemy import update

    from jlexam.services import arrangement
    from jlexam.store.models import ExamSession

    office, sup = team["office"], team["sup"]
    theory, practical = sessions(office)
    plan = arrangement.seat_plan(office, practical.id)
    by_room: dict[str, list] = {}
    for x in plan.seats:
        by_room.setdefault(x.room_name, []).append(x)
    second = {x.room_id for x in by_room["实操二"]}.pop()
    free = next(
        (r, c)
        for r in (1, 2)
        for c in range(1, 6)
        if (r, c) not in {(x.row, x.column) for x in by_room["实操二"]}
    )
    # Emptying or opening a room would shift the 考场号 printed on every ticket: refused.
    theory_plan = arrangement.seat_plan(office, theory.id)
    unused = next(r for r in ("理论一", "理论二") if r not in {x.room_name for x in theory_plan.seats})
    with pytest.raises(StateError, match="考场号"):
        staffing.change_seat(
            sup, theory.id, theory_plan.seats[0].application_id, unused, 1, 1, "考生视力原因需坐前排"
        )
    mover = by_room["实操一"][0]
    view = staffing.change_seat(
        sup, practical.id, mover.application_id, second, *free, "原工位设备故障，调到空工位"
    )
    number = next(
        t.number for t in tickets.list_tickets(office, CODE) if t.application_id == mover.application_id
    )
    assert view.reprint and view.ticket_number == number
    assert "须重新打印" in view.message and number in view.message
    # The reprint: one page, the same number, the new room and seat in the QR code.
    out = tmp_path / "one.pdf"
    assert tickets.reprint_ticket(office, mover.application_id, out) == number
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) == 1 and number in pdf[0].get_textpage().get_text_range()
    token = tickets.ticket_tokens(office, CODE)[mover.application_id]
    payload = decode_token(token, keystore_for(db).public_keys(), TICKET)
    assert [view.room[1:3], view.seat_number] in [[x[1], x[2]] for x in payload["ses"]]
    with pytest.raises(NotFound):
        tickets.reprint_ticket(office, 999999, out)
    # Check-in answers with the new seat.
    result = checkin.check_in_scan(office, practical.id, token, now=_before(practical))
    assert result.ok and result.seat == view.seat_number and "实操二" in result.room
    # Once the session has started no seat moves any more.
    with db.transaction() as s:
        s.execute(
            update(ExamSession)
            .where(ExamSession.id == theory.id)
            .values(starts_at=utcnow() - timedelta(minutes=5))
        )
    with pytest.raises(StateError, match="已开考"):
        staffing.change_seat(
            sup,
            theory.id,
            theory_plan.seats[0].application_id,
            theory_plan.seats[1].room_id,
            1,
            1,
            "考生视力原因需坐前排",
        )
