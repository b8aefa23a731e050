"""Printed documents after review: the tickets name the exam site and its address and set every room at 8 pt
or more; the sign-in sheets number their pages within each room; the certificate's labels share one size;
the publicity heading separates 实考 from 缺考; the objection answer closes the quoted text and says that the
due date itself is included."""

from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from openpyxl import load_workbook
from reportlab.lib.units import mm

from jlexam.demo.photos import make_photo
from jlexam.documents import certificate as cert_doc
from jlexam.documents import tickets as ticket_doc
from jlexam.documents.certificate import FIELDS, CertificateData, label_glyphs, render_certificates
from jlexam.documents.fonts import BODY, HEADING, register_pdf_fonts, text_width
from jlexam.documents.objection import ObjectionLetter, render_answer_letter
from jlexam.documents.publicity import (
    PublicityRow,
    count_sentence,
    counts,
    render_publicity_list,
    write_publicity_xlsx,
)
from jlexam.documents.room_docs import RoomCandidate, RoomSheet, render_sign_in_sheet
from jlexam.documents.tickets import TicketSession, render_tickets, session_layout
from jlexam.domain.idcard import Sex
from jlexam.security.tokens import TICKET, decode_token
from tests.unit.test_tickets_pdf import KEYS, _tickets

ADDRESS = "吉林省长春市绿园区青年路5288号"
DEMO_ROOMS = (  # the demo's rooms (jlexam demo), as room_label prints them
    "第01考场（实训楼A201 理论考场）",
    "第08考场（电工实训室B101）",
    "第08考场（综合实训楼F001 实操考场）",
    "第12考场（焊接实训车间B105）",
    "第03考场（实训楼A203 机房考场）",
)


# --- helpers ----------------------------------------------------------------------------------------------
def _chars(page) -> tuple[object, str]:  # type: ignore[no-untyped-def]
    """The page's text page and its characters, one per pdfium character index (no generated line breaks)."""
    textpage = page.get_textpage()
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    return textpage, "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))


def _sizes_of(page, needle: str) -> list[list[float]]:  # type: ignore[no-untyped-def]
    """The font size of every character of every occurrence of ``needle`` on the page."""
    textpage, chars = _chars(page)
    found = []
    for match in re.finditer(re.escape(needle), chars):
        found.append(
            [
                pdfium_c.FPDFText_GetFontSize(textpage.raw, i)
                for i in range(match.start(), match.end())
                if not chars[i].isspace()
            ]
        )
    return found


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


# --- 1. admission tickets: site, address, rooms at a normal size -------------------------------------------
def _sessions(
    rooms: tuple[str, str], site: str = "主校区考点", address: str = ADDRESS
) -> list[TicketSession]:
    return [
        TicketSession("理论知识考试", date(2026, 10, 25), "09:00-11:00", rooms[0], 1, site, address),
        TicketSession("操作技能考核", date(2026, 10, 25), "13:00-16:00", rooms[1], 15, site, address),
    ]


@pytest.fixture(scope="module")
def sited_tickets(tmp_path_factory) -> tuple[list, dict[int, Path]]:
    tickets, _ = _tickets(4)
    variants = [
        _sessions((DEMO_ROOMS[0], DEMO_ROOMS[2])),
        _sessions((DEMO_ROOMS[4], DEMO_ROOMS[3])),
        [  # two sites
            *_sessions((DEMO_ROOMS[0], DEMO_ROOMS[1]))[:1],
            TicketSession(
                "操作技能考核",
                date(2026, 10, 26),
                "13:00-16:00",
                "第18考场（电工实训室B101）",
                5,
                "经开区实训基地考点",
                "吉林省长春市经济技术开发区临河街1999号",
            ),
        ],
        _sessions((DEMO_ROOMS[0], DEMO_ROOMS[1]), address=""),  # a site without an address
    ]
    tickets = [dataclasses.replace(t, sessions=v) for t, v in zip(tickets, variants, strict=True)]
    folder = tmp_path_factory.mktemp("sited")
    paths = {}
    for per_page in (1, 2):
        paths[per_page] = folder / f"tickets-{per_page}.pdf"
        render_tickets(tickets, paths[per_page], per_page=per_page, workers=1)
    return tickets, paths


@pytest.mark.parametrize("per_page", [1, 2])
def test_tickets_name_the_site_and_its_address(sited_tickets, per_page) -> None:
    _, paths = sited_tickets
    texts = [re.sub(r"\s", "", t) for t in _page_texts(paths[per_page])]
    text = "".join(texts)
    assert "考点：主校区考点" in text and f"地址：{ADDRESS}" in text
    assert "经开区实训基地考点第18考场" in text  # different sites: each room names its own
    assert "吉林省长春市经济技术开发区临河街1999号" in text
    first = texts[0]
    assert "考点：主校区考点" in first and ADDRESS in first and "第01考场（实训楼A201理论考场）" in first
    if per_page == 1:
        last = texts[-1]  # the site without an address prints its name only
        assert "考点：主校区考点" in last and "地址" not in last


@pytest.mark.parametrize("per_page", [1, 2])
def test_ticket_rooms_print_at_8_pt_or_more_and_the_codes_decode(sited_tickets, per_page) -> None:
    tickets, paths = sited_tickets
    pdf = pdfium.PdfDocument(str(paths[per_page]))
    try:
        seen = 0
        for page in pdf:
            for room in {*DEMO_ROOMS[:5], "第18考场", "（电工实训室B101）"}:
                for sizes in _sizes_of(page, room):
                    assert min(sizes) >= 8.0, (room, sizes)
                    seen += 1
            for line in ("考点：主校区考点",):
                for sizes in _sizes_of(page, line):
                    assert min(sizes) >= 8.0
        assert seen >= 8
        numbers = []
        for page in pdf:
            image = page.render(scale=300 / 72, grayscale=True).to_pil()
            for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                numbers.append(decode_token(code.text, KEYS, TICKET)["no"])
        assert sorted(numbers) == sorted(t.ticket_number for t in tickets)
    finally:
        pdf.close()


def test_ticket_without_sites_still_keeps_long_rooms_at_8_pt(tmp_path) -> None:
    """The old 5-field sessions (no site): the room column used to shrink a demo room to ~5.5 pt."""
    tickets, _ = _tickets(1)
    ticket = dataclasses.replace(
        tickets[0],
        sessions=[
            ("理论知识考试", "2026-10-25", "09:00-11:00", DEMO_ROOMS[0], 1),
            ("操作技能考核", "2026-10-25", "13:00-16:00", DEMO_ROOMS[2], 15),
        ],
    )
    path = tmp_path / "plain.pdf"
    render_tickets([ticket], path, per_page=1)
    pdf = pdfium.PdfDocument(str(path))
    try:
        for room in (DEMO_ROOMS[0], DEMO_ROOMS[2]):
            found = _sizes_of(pdf[0], room)
            assert found and min(found[0]) >= 8.0, (room, found)
    finally:
        pdf.close()


@pytest.mark.parametrize(
    "sessions",
    [
        _sessions((DEMO_ROOMS[0], DEMO_ROOMS[2])),
        _sessions((DEMO_ROOMS[0], DEMO_ROOMS[2]), site="", address=""),
        [*_sessions((DEMO_ROOMS[0], DEMO_ROOMS[1])), _sessions((DEMO_ROOMS[3], DEMO_ROOMS[4]))[0]],
        [
            _sessions(("第02考场（第二教学楼三楼多媒体阶梯教室305 理论考场）", DEMO_ROOMS[1]))[0],
            _sessions(
                (DEMO_ROOMS[0], DEMO_ROOMS[2]), "经开区实训基地考点", "吉林省长春市经济技术开发区临河街1999号"
            )[1],
        ],
        _sessions(DEMO_ROOMS[:2])[:1],
    ],
    ids=["one-site", "no-site", "three-sessions", "two-sites-long-room", "one-session"],
)
def test_session_layout_fits_the_ticket_at_a_normal_size(sessions) -> None:
    register_pdf_fonts()
    layout = session_layout(sessions)
    column = (ticket_doc._SESSION_COLS[ticket_doc._ROOM_COL][1] - 2) * mm
    assert layout.size >= 8.0 and min(layout.room_sizes) >= 8.0
    for lines, size in zip(layout.room_lines, layout.room_sizes, strict=True):
        assert all(text_width(line, BODY, size) <= column for line in lines)  # nothing clipped
        assert len(lines) <= 2
    for row, lines in zip(layout.rows, layout.room_lines, strict=False):
        assert row >= len(lines) * layout.leading + 1.5  # the lines stay inside their row
    assert all(text_width(line, BODY, layout.size) <= ticket_doc._TABLE_W * mm for line in layout.site_lines)
    assert layout.rules_y - 3.5 > layout.table_bottom + len(layout.site_lines) * layout.leading
    assert layout.rules_leading >= 3.0  # 8 pt rules never touch
    assert layout.last_baseline <= ticket_doc.H - 2.5  # above the inner frame (H - 1.3) with the descenders
    # the table and the QR column do not meet
    assert ticket_doc._QR[0] > ticket_doc._TABLE_X + ticket_doc._TABLE_W
    assert sum(w for _, w in ticket_doc._SESSION_COLS) == ticket_doc._TABLE_W


# --- 2. sign-in sheets: pages numbered within each room ------------------------------------------------------
def _room(number: int, count: int, part: str = "理论知识考试") -> RoomSheet:
    candidates = [
        RoomCandidate(i, f"2601{number:02d}{i:03d}0", f"考生{number}{i}", "220102********123X", "男", "电工 四级/中级工",
                      make_photo(i, Sex.MALE) if i % 3 else None, (i - 1) // 6 + 1, (i - 1) % 6 + 1)
        for i in range(1, count + 1)
    ]  # fmt: skip
    return RoomSheet(
        "吉林松辽职业技术学院", "2026年10月职业技能等级认定", "JL202610-01", f"第{number:02d}考场", "主校区考点 实训楼A201",
        part, datetime(2026, 10, 25, 9), datetime(2026, 10, 25, 11), candidates, 6, 6,
    )  # fmt: skip


def test_sign_in_pages_are_numbered_within_each_room(tmp_path) -> None:
    path = tmp_path / "sign-in.pdf"
    render_sign_in_sheet([_room(1, 29), _room(2, 8), _room(3, 30, "操作技能考核")], path)
    footers = []
    for text in _page_texts(path):
        found = re.search(r"考生签到表\s*(第\d\d考场（\S+）)\s*第 (\d+) 页 / 共 (\d+) 页", text)
        assert found, text[-120:]
        footers.append((found.group(1), int(found.group(2)), int(found.group(3))))
    rooms = [room for room, _, _ in footers]
    assert rooms[0] == "第01考场（理论知识考试）" and rooms[-1] == "第03考场（操作技能考核）"
    for room in dict.fromkeys(rooms):
        mine = [(page, total) for r, page, total in footers if r == room]
        assert [page for page, _ in mine] == list(range(1, len(mine) + 1))  # 1, 2, ... within the room
        assert {total for _, total in mine} == {len(mine)}  # 共 y 页 = the room's pages
    assert [room for room, page, _ in footers if page == 1] == [
        "第01考场（理论知识考试）", "第02考场（理论知识考试）", "第03考场（操作技能考核）",
    ]  # fmt: skip
    assert len(footers) > 3  # some room takes more than one page, so this tests the running count


# --- 3. certificate: one label column -----------------------------------------------------------------------
def _certificate() -> CertificateData:
    return CertificateData(
        institution="吉林松辽职业技术学院", issue_date=date(2025, 6, 3), name="李栋华", id_type="居民身份证",
        id_number="22010219900101001X", sex=Sex.MALE, occupation="中式烹调师", work_type="", level=3,
        certificate_number="S000022000123253000001", photo_jpeg=make_photo(3, Sex.MALE), qr_token="x" * 60,
    )  # fmt: skip


def test_certificate_labels_share_one_size_and_column(tmp_path) -> None:
    path = tmp_path / "cert.pdf"
    render_certificates([_certificate()], path)
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        textpage, chars = _chars(page)
        sizes, lefts, rights = {}, [], []
        for f in FIELDS:
            label = f.label.replace("　", "")
            baseline = (cert_doc.PAGE_H_MM - f.baseline) * mm
            indices = []  # the label's characters on the field's line (pdfium puts spaces between them)
            for match in re.finditer(r"\s*".join(map(re.escape, label)), chars):
                found = [i for i in range(match.start(), match.end()) if not chars[i].isspace()]
                if abs(textpage.get_charbox(found[0])[1] - baseline) < 3 * mm:
                    indices = found
            assert len(indices) == len(label), label
            sizes[label] = {round(pdfium_c.FPDFText_GetFontSize(textpage.raw, i), 2) for i in indices}
            boxes = [textpage.get_charbox(i) for i in indices]  # (left, bottom, right, top) in points
            lefts.append(boxes[0][0])
            rights.append(boxes[-1][2])
            if label == "职业技能等级":
                em = max(sizes[label])
                gaps = [b[0] - a[2] for a, b in itertools.pairwise(boxes)]
                assert min(gaps) >= 0.3 * em, gaps  # the longest label is not squeezed
        assert len({s for v in sizes.values() for s in v}) == 1, sizes  # every label in one size
        assert max(lefts) - min(lefts) < 0.6 and max(rights) - min(rights) < 1.5  # one column, both edges
    finally:
        pdf.close()


def test_label_glyphs_span_the_label_column() -> None:
    for f in FIELDS:
        glyphs = label_glyphs(f.label)
        assert glyphs[0][0] == cert_doc._LABEL_X
        last = glyphs[-1][0] + text_width(glyphs[-1][1], HEADING, cert_doc._LABEL_SIZE) / mm
        assert last == pytest.approx(cert_doc._LABEL_END)
        assert cert_doc._LABEL_END < cert_doc._VALUE_X - 1  # a gap before the value


# --- 4. publicity: 参评 = 实考 + 缺考, as the oversight report counts --------------------------------------------
def _rows(labels: list[str]) -> list[PublicityRow]:
    return [
        PublicityRow(f"考生{i}", "220102********123X", "电工", "--", "四级/中级工", label)
        for i, label in enumerate(labels)
    ]


def test_publicity_heading_separates_sat_from_absent(tmp_path) -> None:
    rows = _rows(["合格"] * 232 + ["不合格"] * 49 + ["缺考"] * 5)
    n = counts(rows)
    assert (n.total, n.sat, n.absent, n.passed, n.pending) == (286, 281, 5, 232, 0)
    kw = dict(
        institution="吉林松辽职业技术学院", sitting_name="2026年10月职业技能等级认定",
        period_start=date(2026, 11, 6), period_end=date(2026, 11, 12), provisional=False, contact="0431-1",
    )  # fmt: skip
    pdf, xlsx = tmp_path / "p.pdf", tmp_path / "p.xlsx"
    render_publicity_list(rows, pdf, **kw)
    write_publicity_xlsx(rows, xlsx, **kw)
    text = re.sub(r"\s", "", _page_texts(pdf)[0])
    assert "本批次参评人员共286人，实际参加考核281人，缺考5人；认定合格232人。名单如下。" in text
    assert "参评人员共286人，其中认定合格" not in text
    banner = str(load_workbook(xlsx).active["A2"].value)
    assert banner.startswith("本批次参评人员共286人，实际参加考核281人，缺考5人；认定合格232人。")


def test_publicity_counts_违纪_as_sat_and_says_pending() -> None:
    rows = _rows(["合格", "违纪", "缺考", "待定"])
    assert count_sentence(rows) == "本批次参评人员共4人，实际参加考核2人，缺考1人，结果待定1人；认定合格1人。"


# --- 5. objection answer ------------------------------------------------------------------------------------
LETTER = ObjectionLetter(
    institution="吉林松辽职业技术学院", candidate_name="李栋华", masked_id="220183********7011",
    received_on=date(2026, 11, 6), due_on=date(2026, 11, 13), subject="对理论知识考试成绩有异议，申请复核",
    recheck_summary="由两名考评员复核原始答卷，逐题核对评分与合分", outcome="复核无误，维持原成绩",
    old_scores={"理论知识考试": Decimal(58)}, new_scores={"理论知识考试": Decimal(58)},
    answered_on=date(2026, 11, 7), signer="考务组长 王考务", sitting_name="2026年10月职业技能等级认定",
)  # fmt: skip


def _letter_text(letter: ObjectionLetter, tmp_path: Path) -> str:
    path = tmp_path / "answer.pdf"
    render_answer_letter(letter, path)
    return re.sub(r"\s", "", "".join(_page_texts(path)))


def test_objection_text_is_closed_with_a_full_stop(tmp_path) -> None:
    text = _letter_text(LETTER, tmp_path)
    assert "异议事项：对理论知识考试成绩有异议，申请复核。根据" in text
    assert "逐题核对评分与合分。" in text and "维持原成绩。" in text
    for typed, printed in (
        ("申请复核。", "申请复核。根据"),
        ("申请复核！", "申请复核！根据"),
        ("申请复核，", "申请复核。根据"),
        ("申请复核.", "申请复核。根据"),
        ("“申请复核。”", "“申请复核。”根据"),
    ):
        text = _letter_text(dataclasses.replace(LETTER, subject=f"对成绩有异议，{typed}"), tmp_path)
        assert f"对成绩有异议，{printed}" in text, typed
        assert "。。" not in text


def test_objection_due_date_says_the_day_itself_is_included(tmp_path) -> None:
    text = _letter_text(LETTER, tmp_path)
    assert (
        "5个工作日内（收到当日不计）予以答复，答复期限至2026年11月13日（含当日）；本答复于2026年11月7日作出。"
        in text
    )
    assert "2026年11月13日前" not in text
    late = _letter_text(dataclasses.replace(LETTER, answered_on=date(2026, 11, 16)), tmp_path)
    assert "答复期限至2026年11月13日（含当日）；本答复于2026年11月16日作出，已超过答复期限。" in late
