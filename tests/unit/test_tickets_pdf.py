"""Ticket numbers, the QR payload, and the admission tickets PDF: QR codes decode at 300 dpi and verify."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st

from jlexam.demo.people import make_people
from jlexam.demo.photos import make_photo
from jlexam.documents.drawing import qr_matrix, qr_path_ops
from jlexam.documents.tickets import TicketData, TicketSession, render_tickets
from jlexam.domain.masking import mask_id_number
from jlexam.domain.tickets import (
    check_ticket_number,
    damm_check_digit,
    make_ticket_number,
    split_ticket_number,
    ticket_payload,
)
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import occupations_by_code
from jlexam.security.signing import generate_signing_key, key_id
from jlexam.security.tokens import TICKET, decode_token, encode_token

RARE_NAMES = ("欧阳𠇔𡈼", "𠇔明")
KEY = generate_signing_key()
KEYS = {key_id(KEY.public_key()): KEY.public_key()}


# --- ticket numbers ---------------------------------------------------------------------------------------
def test_ticket_number_format() -> None:
    number = make_ticket_number(2503, 7, 15)
    assert number == "2503070152" and len(number) == 10
    assert (
        check_ticket_number(number)
        and check_ticket_number("2503 07 015 2")
        and check_ticket_number("２５０３０７０１５２")
    )
    assert split_ticket_number(number) == (2503, 7, 15)
    for bad in ("", "250307015", "25030701520", "250307015x", "2503070153"):
        assert not check_ticket_number(bad)
    with pytest.raises(ValidationError, match="准考证号"):
        split_ticket_number("2503070153")


@pytest.mark.parametrize(
    "args", [(10000, 1, 1), (-1, 1, 1), (2503, 0, 1), (2503, 100, 1), (2503, 1, 0), (2503, 1, 1000)]
)
def test_ticket_number_ranges(args) -> None:
    with pytest.raises(ValidationError):
        make_ticket_number(*args)


@given(st.integers(0, 9999), st.integers(1, 99), st.integers(1, 999), st.data())
def test_check_digit_catches_every_single_error_and_adjacent_swap(sitting, room, seat, data) -> None:
    number = make_ticket_number(sitting, room, seat)
    assert check_ticket_number(number)
    i = data.draw(st.integers(0, 9))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[i]]))
    assert not check_ticket_number(number[:i] + digit + number[i + 1 :])
    j = data.draw(st.integers(0, 8))
    swapped = number[:j] + number[j + 1] + number[j] + number[j + 2 :]
    assert swapped == number or not check_ticket_number(swapped)


def test_damm_known_value() -> None:
    assert damm_check_digit("572") == 4  # the algorithm's published example


def test_payload_never_holds_a_full_id() -> None:
    sessions = [(datetime(2025, 6, 14, 9), "07", 15)]
    payload = ticket_payload(
        "2503070152", "张三", "220102********123X", "6-31-01-03", "三级/高级工", "JL2025-03", sessions
    )
    assert payload == {
        "v": 1, "no": "2503070152", "name": "张三", "id": "220102********123X", "occ": "6-31-01-03", "level": 3,
        "sitting": "JL2025-03", "ses": [["2025-06-14T09:00", "07", 15]],
    }  # fmt: skip
    with pytest.raises(ValidationError, match="遮盖"):
        ticket_payload("2503070152", "张三", "22010219900101123X", "6-31-01-03", 3, "JL2025-03", sessions)
    with pytest.raises(ValidationError, match="准考证号"):
        ticket_payload("2503070153", "张三", "220102********123X", "6-31-01-03", 3, "JL2025-03", sessions)


# --- QR path ----------------------------------------------------------------------------------------------
def test_qr_path_draws_exactly_the_dark_modules() -> None:
    full, quiet, modules = qr_matrix("jlexam test token " * 10)
    size = full - 2 * quiet
    drawn = set()
    for op in qr_path_ops(full, quiet, modules).split("\n"):
        x, y, w, h, name = op.split()
        assert name == "re" and h == "1"
        drawn |= {(int(x) + k, int(y)) for k in range(int(w))}
    dark = {
        (c - quiet, full - 1 - quiet - r)
        for r in range(full)
        for c in range(full)
        if modules[r * full + c] == 0
    }
    assert drawn == dark and all(0 <= x < size and 0 <= y < size for x, y in drawn)


# --- the PDF ----------------------------------------------------------------------------------------------
def _tickets(n: int, *, key=KEY) -> tuple[list[TicketData], list[str]]:
    occupations = occupations_by_code()
    codes = list(occupations)[:4]
    people = make_people(n, 11, [(c, occupations[c].levels) for c in codes], date(2025, 5, 1))
    tickets, ids = [], []
    for i, p in enumerate(people):
        if i < len(RARE_NAMES):
            p = dataclasses.replace(p, name=RARE_NAMES[i])
        room, seat = i // 5 + 1, i % 5 + 1
        number = make_ticket_number(2503, room, seat)
        masked = mask_id_number(p.id_number)
        payload = ticket_payload(
            number, p.name, masked, p.occupation_code, p.level, "JL2025-03",
            [(datetime(2025, 6, 14, 9), f"{room:02d}", seat), (datetime(2025, 6, 14, 14), "36", seat)],
        )  # fmt: skip
        sessions = [
            TicketSession(
                "理论知识考试", date(2025, 6, 14), "09:00-10:30", f"第{room:02d}考场（教学楼30{room}）", seat
            ),
            TicketSession("操作技能考核", date(2025, 6, 14), "14:00-15:30", "第36考场（实训楼201）", seat),
        ]
        tickets.append(
            TicketData(
                "吉林省长春职业技术学院职业技能等级认定中心", "2025年第三批职业技能等级认定", "JL2025-03", number,
                p.name, p.sex.label, masked, make_photo(i, p.sex) if i % 6 else None,
                occupations[p.occupation_code].name, p.occupation_code, "--", p.level.written, sessions,
                encode_token(key, TICKET, payload),
            )
        )  # fmt: skip
        ids.append(p.id_number)
    return tickets, ids


def _page_texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def _decode_page(path: Path, index: int) -> list[dict]:
    doc = pdfium.PdfDocument(str(path))
    try:
        image = doc[index].render(scale=300 / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [decode_token(barcode.text, KEYS, TICKET) for barcode in found]


@pytest.fixture(scope="module")
def two_per_page(tmp_path_factory) -> tuple[Path, list[TicketData], list[str]]:
    tickets, ids = _tickets(14)
    path = tmp_path_factory.mktemp("tickets") / "准考证.pdf"
    render_tickets(tickets, path, per_page=2)
    return path, tickets, ids


def test_qr_codes_of_sampled_pages_decode_at_300_dpi_and_verify(two_per_page) -> None:
    path, tickets, _ = two_per_page
    texts = _page_texts(path)
    assert len(texts) == 7
    for index in (0, 3, 6):
        payloads = _decode_page(path, index)
        expected = [t.ticket_number for t in tickets[index * 2 : index * 2 + 2]]
        assert sorted(p["no"] for p in payloads) == sorted(expected)
        for payload in payloads:
            ticket = next(t for t in tickets if t.ticket_number == payload["no"])
            assert payload["v"] == 1 and payload["name"] == ticket.name and payload["id"] == ticket.masked_id
            assert payload["no"] in texts[index]  # the number printed under the code is on this page


def test_rare_characters_print_and_fonts_are_embedded(two_per_page) -> None:
    path, tickets, _ = two_per_page
    data = path.read_bytes()
    assert data.count(b"/FontFile2") >= 2  # the body font and the Extension B fallback, as subsets
    assert b"STSong" not in data
    first = _page_texts(path)[0]
    assert RARE_NAMES[0] in first and "职业技能等级认定准考证" in first.replace(" ", "")
    assert tickets[0].masked_id in first and "考生须知" in first


def test_no_full_id_number_in_the_pdf(two_per_page) -> None:
    path, _, ids = two_per_page
    text = "".join(_page_texts(path))
    assert not any(number in text for number in ids)
    assert not re.search(r"\d{17}[\dX]", text)
    raw = path.read_bytes()
    assert not any(number.encode() in raw for number in ids)


def test_one_per_page(tmp_path) -> None:
    tickets, _ = _tickets(3)
    path = tmp_path / "one.pdf"
    render_tickets(tickets, path, per_page=1)
    texts = _page_texts(path)
    assert len(texts) == 3
    assert [t.ticket_number in texts[i] for i, t in enumerate(tickets)] == [True] * 3
    assert [p["no"] for p in _decode_page(path, 2)] == [tickets[2].ticket_number]


def test_long_runs_are_rendered_in_parts_in_order(tmp_path) -> None:
    tickets, _ = _tickets(11)
    path = tmp_path / "parts.pdf"
    render_tickets(iter(tickets), path, per_page=2, part_size=4, workers=2)
    texts = _page_texts(path)
    assert len(texts) == 6  # parts of 4, 4 and 3 tickets: 2 + 2 + 2 pages, joined in order
    assert [next(t.ticket_number for t in tickets if t.ticket_number in text) for text in texts] == [
        t.ticket_number for t in tickets[::2]
    ]
    assert [p["no"] for p in _decode_page(path, 5)] == [tickets[10].ticket_number]
    assert not list(tmp_path.glob(".tickets-*")) and not list(tmp_path.glob(".*.partial"))


def test_bad_arguments(tmp_path) -> None:
    with pytest.raises(ValueError):
        render_tickets([], tmp_path / "x.pdf", per_page=3)


def test_png_photo_and_plain_tuple_sessions(tmp_path) -> None:
    import io

    from PIL import Image

    tickets, _ = _tickets(1)
    png = io.BytesIO()
    Image.new("RGB", (295, 413), (200, 40, 40)).save(png, "PNG")
    ticket = dataclasses.replace(
        tickets[0],
        photo=png.getvalue(),
        sessions=[("理论知识考试", "2025-06-14", "09:00-10:30", "第01考场", 1)],
    )
    path = tmp_path / "png.pdf"
    render_tickets([ticket], path, per_page=1)
    assert b"/Subtype /Image" in path.read_bytes()
    assert "第01考场" in _page_texts(path)[0]
    assert [p["no"] for p in _decode_page(path, 0)] == [ticket.ticket_number]
