"""Printer calibration offsets: validated to ±20 mm, audited, readable by everyone, written by the admin."""

import pytest
from sqlalchemy import select

from jlexam.errors import NotFound, PermissionDenied, ValidationError
from jlexam.security.roles import Role
from jlexam.services import settings
from jlexam.store.models import AuditEvent


def _events(db, action):
    with db.reading() as s:
        return [e.summary for e in s.scalars(select(AuditEvent).where(AuditEvent.action == action))]


def test_offsets_round_trip_and_are_audited(db, admin, actor_for):
    assert settings.list_printer_offsets(admin) == []
    assert settings.printer_offset(admin, "HP LaserJet") == settings.PrinterOffset("HP LaserJet", 0.0, 0.0)

    long_name = r"\\printsrv\考务办公室 HP LaserJet Pro MFP M428f-M429f PCL-6 (V4) 第二纸盒 " + "x" * 40
    settings.set_printer_offset(admin, "HP LaserJet", 1.25, -3)
    settings.set_printer_offset(admin, long_name, -20, 20)

    clerk = actor_for(Role.DATA_CLERK)  # any logged-in user may read
    offsets = settings.list_printer_offsets(clerk)
    assert [o.printer for o in offsets] == sorted(["HP LaserJet", long_name])
    hp = settings.printer_offset(clerk, " HP LaserJet ")
    assert (hp.x_mm, hp.y_mm) == (1.2, -3.0) or (hp.x_mm, hp.y_mm) == (1.3, -3.0)

    events = _events(db, "settings.printer_offset")
    assert len(events) == 2
    assert "HP LaserJet" in events[0] and "毫米" in events[0]
    assert long_name in events[1]

    # the same value again changes nothing and writes no event
    settings.set_printer_offset(admin, "HP LaserJet", hp.x_mm, hp.y_mm)
    assert len(_events(db, "settings.printer_offset")) == 2

    settings.remove_printer_offset(admin, "HP LaserJet")
    assert [o.printer for o in settings.list_printer_offsets(admin)] == [long_name]
    assert len(_events(db, "settings.printer_offset_removed")) == 1
    with pytest.raises(NotFound):
        settings.remove_printer_offset(admin, "HP LaserJet")


@pytest.mark.parametrize(
    ("x", "y", "fragment"),
    [(20.1, 0, "水平（X）"), (0, -25, "垂直（Y）"), (float("nan"), 0, "超出范围"), ("abc", 0, "不是数字")],
)
def test_offsets_out_of_range_are_refused(db, admin, x, y, fragment):
    with pytest.raises(ValidationError) as info:
        settings.set_printer_offset(admin, "Canon", x, y)
    assert fragment in info.value.message
    assert settings.list_printer_offsets(admin) == []
    assert _events(db, "settings.printer_offset") == []


def test_printer_name_required(db, admin):
    with pytest.raises(ValidationError, match="打印机名称"):
        settings.set_printer_offset(admin, "  ", 1, 1)


@pytest.mark.parametrize("role", [Role.EXAM_OFFICE, Role.SUPERVISOR, Role.DATA_CLERK])
def test_only_admin_writes(db, actor_for, role):
    actor = actor_for(role)
    with pytest.raises(PermissionDenied):
        settings.set_printer_offset(actor, "Canon", 1, 1)
    with pytest.raises(PermissionDenied):
        settings.remove_printer_offset(actor, "Canon")
    assert settings.list_printer_offsets(actor) == []
