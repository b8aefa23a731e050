"""The tickets and sign-in sheets the services write after review: every session's exam site and its address
(from the Site of arrangement.add_site) on the ticket, its QR code still decoding; sign-in pages numbered
within each room."""

from __future__ import annotations

import re

import pypdfium2
import pytest
import zxingcpp

from jlexam.security.roles import Role
from jlexam.security.tokens import TICKET, decode_token
from jlexam.services import staffing, tickets
from jlexam.services.base import keystore_for
from tests.services.arrangement_helpers import CODE, arranged


@pytest.fixture
def team(actor_for):
    return {"office": actor_for(Role.EXAM_OFFICE), "sup": actor_for(Role.SUPERVISOR)}


@pytest.fixture
def ticketed(db, admin, team):
    arranged(admin, team)  # one site, 一号考点, at 长春市 (arrangement_helpers.build_site)
    staffing.lock_arrangement(team["sup"], CODE)
    tickets.issue_tickets(team["office"], CODE)


def _texts(path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [re.sub(r"\s", "", page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


@pytest.mark.parametrize("per_page", [1, 2])
def test_tickets_print_each_sessions_site_and_address(db, team, ticketed, tmp_path, per_page):
    out = tmp_path / "tickets.pdf"
    count = tickets.write_tickets(team["office"], CODE, out, per_page=per_page, workers=1)
    texts = _texts(out)
    assert len(texts) == -(-count // per_page)
    assert all("考点：一号考点" in t and "地址：长春市" in t for t in texts)
    first = tickets.list_tickets(team["sup"], CODE)[0]
    assert first.room.replace(" ", "") in "".join(texts)
    pdf = pypdfium2.PdfDocument(str(out))
    try:
        image = pdf[0].render(scale=300 / 72).to_pil()
    finally:
        pdf.close()
    keys = keystore_for(db).public_keys()
    found = [decode_token(b.text, keys, TICKET) for b in zxingcpp.read_barcodes(image)]
    assert len(found) == per_page and all(p["sitting"] == CODE for p in found)


def test_reprinted_ticket_names_the_site(db, team, ticketed, tmp_path):
    row = tickets.list_tickets(team["sup"], CODE)[0]
    out = tmp_path / "one.pdf"
    tickets.reprint_ticket(team["office"], row.application_id, out)
    (text,) = _texts(out)
    assert "考点：一号考点" in text and "地址：长春市" in text


def test_sign_in_sheets_number_pages_per_room(db, team, ticketed, tmp_path):
    files = tickets.write_room_documents(team["office"], CODE, tmp_path)
    sign_in = next(f for f in files if f.name == "sign-in.pdf")
    footers = [re.search(r"(第\d\d考场（\w+）)第(\d+)页/共(\d+)页", t) for t in _texts(sign_in)]
    assert all(footers)
    rooms = [m.group(1) for m in footers]  # type: ignore[union-attr]
    assert len(set(rooms)) >= 2
    for room in set(rooms):
        mine = [(int(m.group(2)), int(m.group(3))) for m in footers if m and m.group(1) == room]
        assert mine == [(i, len(mine)) for i in range(1, len(mine) + 1)]
