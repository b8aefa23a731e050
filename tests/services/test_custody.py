"""Paper custody through the services: chained events, scans, tampering detected, key holders (issue 6)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy import text as text_sql

from jlexam.errors import StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.security.tokens import TokenError
from jlexam.services import custody
from jlexam.services.audit import verify_chains
from tests.services.helpers import open_sitting

T0 = datetime(2026, 12, 11, 23, 0, tzinfo=UTC)  # 07:00 Beijing time on exam day


@pytest.fixture
def office(actor_for):
    return actor_for(Role.EXAM_OFFICE)


@pytest.fixture
def packet(admin, office):
    open_sitting(admin, office)
    custody.create_packet(office, "S2026-12", "P-A201-T", "DG-2026-电工-4-A", "v1", 30)
    steps = [
        ("print", 0, "印刷室", ("印刷甲", "印刷乙"), {"copies": 30}),
        ("seal", 10, "印刷室", ("张保管", "李保管"), {"seal_number": "F-001"}),
        ("store", 20, "保密室", ("张保管", "李保管"), {}),
    ]
    for kind, minutes, place, persons, extra in steps:
        custody.record_event(
            office, "P-A201-T", kind, T0 + timedelta(minutes=minutes), place, persons, **extra
        )
    return "P-A201-T"


def test_events_chain_and_verify(db, office, packet, admin):
    (view,) = custody.list_packets(office, "S2026-12", now=T0)
    assert (
        view.state == "stored" and view.place == "保密室" and view.seal_number == "F-001" and view.events == 3
    )
    reports = verify_chains(admin)
    custody_report = next(r for r in reports if r.chain == "custody:P-A201-T")
    assert custody_report.intact and custody_report.links == 3


def test_order_refused_through_the_service(db, office, packet):
    with pytest.raises(StateError, match="不能启封"):
        custody.record_event(office, packet, "open", T0 + timedelta(hours=1), "A201", ("监考甲", "监考乙"))
    with pytest.raises(StateError, match="已封装"):
        custody.amend_paper(office, packet, "OTHER", "v2")


def test_edit_behind_the_application_is_detected(db, office, packet, admin):
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE custody_event SET seal_number = 'F-999' WHERE seq = 2"))
    report = next(r for r in verify_chains(admin) if r.chain == "custody:P-A201-T")
    assert not report.intact and report.problems[0].seq == 2


def test_deleted_event_is_detected(db, office, packet, admin):
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM custody_event WHERE seq = 3"))
    report = next(r for r in verify_chains(admin) if r.chain == "custody:P-A201-T")
    assert not report.intact


def test_label_scan_round_trip_and_forgery(db, office, packet):
    token = custody.label_token(office, packet)
    assert custody.packet_from_scan(office, token) == packet
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    with pytest.raises(TokenError):
        custody.packet_from_scan(office, forged)


def test_key_holders_must_differ(db, actor_for):
    supervisor = actor_for(Role.SUPERVISOR)
    custody.add_key_holder(supervisor, "张保管", "保密室钥匙 A", T0.date())
    with pytest.raises(ValidationError, match="两名不同的人"):
        custody.add_key_holder(supervisor, "张保管", "保密室钥匙 B", T0.date())
    custody.add_key_holder(supervisor, "李保管", "保密室钥匙 B", T0.date())
    assert len(custody.key_holders(supervisor)) == 2


def test_label_qr_decodes_from_the_rendered_pdf(db, office, packet, tmp_path):
    import pypdfium2
    import zxingcpp

    out = tmp_path / "labels.pdf"
    assert custody.write_labels(office, "S2026-12", out) == 1
    page = pypdfium2.PdfDocument(str(out))[0].render(scale=300 / 72).to_pil()
    (barcode,) = zxingcpp.read_barcodes(page)
    assert custody.packet_from_scan(office, barcode.text) == packet


def test_custody_log_pdf_lists_steps_and_chain_state(db, office, packet, tmp_path):
    import pypdfium2

    out = custody.write_custody_log(office, "S2026-12", tmp_path / "log.pdf")
    text = "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(str(out)))
    assert "P-A201-T" in text and "封装" in text and "F-001" in text and "哈希链完整" in text
    with db.engine.begin() as conn:
        conn.execute(text_sql("UPDATE custody_event SET place = '别处' WHERE seq = 3"))
    out = custody.write_custody_log(office, "S2026-12", tmp_path / "log2.pdf")
    text = "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(str(out)))
    assert "哈希链校验失败" in text
