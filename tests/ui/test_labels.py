"""Every Chinese name of a stored code that the window shows is registered in ui/labels.py and translated."""

import xml.etree.ElementTree as ET

from jlexam.domain.custody import LABELS as CUSTODY_STEPS
from jlexam.domain.custody import STATE_LABELS as PACKET_STATES
from jlexam.domain.idcard import Sex
from jlexam.domain.retention import Medium
from jlexam.domain.scoring import MarkCode
from jlexam.domain.sitting_state import SittingState
from jlexam.domain.standards import ExamPart
from jlexam.domain.stock_ledger import EntryKind, SerialState
from jlexam.exchange import roster
from jlexam.paths import resource
from jlexam.services import (
    archives,
    arrangement,
    candidates,
    checkin,
    eligibility,
    publicity,
    reports,
    sittings,
    staffing,
    tickets,
)
from ui import i18n
from ui.labels import REGISTERED, SEPARATOR, joined, label
from ui.pages import certificates, registration, uploads
from ui.pages import publicity as publicity_page
from ui.pages import scores as scores_page
from ui.pages import settings as settings_page
from ui.pages.checkin import EVENT_KINDS as CHECKIN_EVENT_KINDS


def _shown_labels() -> dict[str, set[str]]:
    """Where each label the window shows comes from: the jlexam constants and the pages' own tables."""
    return {
        "Sex": {s.label for s in Sex},
        "ID_TYPES": set(candidates.ID_TYPES.values()) | set(roster.ID_TYPES.values()),
        "EDUCATIONS": set(roster.EDUCATIONS),
        "EVIDENCE_KINDS": set(eligibility.EVIDENCE_KINDS.values()),
        "RESULT_LABELS": set(publicity.RESULT_LABELS.values()),
        "MarkCode": {m.label for m in MarkCode},
        "ExamPart": {p.label for p in ExamPart} | set(sittings.PART_LABELS.values()),
        "SittingState": {s.label for s in SittingState},
        "CERT_STATUS": set(reports.CERT_STATUS.values()),
        "EntryKind": {k.label for k in EntryKind} | {s.label for s in SerialState},
        "custody": set(CUSTODY_STEPS.values()) | set(PACKET_STATES.values()),
        "ROOM_KINDS": set(arrangement.ROOM_KINDS.values()) | set(arrangement.STRATEGY_LABELS.values()),
        "STAFF_ROLES": set(staffing.STAFF_ROLES.values()) | set(staffing.CHANGE_KINDS.values()),
        "checkin": set(checkin.EVENT_KINDS.values()) | set(checkin.METHOD_LABELS.values())
        | set(CHECKIN_EVENT_KINDS.values()),
        "ROOM_DOCUMENTS": {title for title, _render in tickets.ROOM_DOCUMENTS.values()},
        "SEX_LABELS": set(tickets.SEX_LABELS.values()),
        "archives": set(archives.CATEGORY_LABELS.values()) | {m.label for m in Medium},
        "registration page": set(registration.ELIGIBILITY_LABELS.values()) | {t for _k, t in registration.FILTERS}
        | {"通过", "破格通过", "不通过", "待审核"},
        "certificates page": set(certificates.KIND_TEXT.values()) | set(certificates.STATUS_TEXT.values()),
        "publicity page": set(publicity_page.STATE_TEXT.values()) | {scores_page.MARK_HINT},
        "uploads page": set(uploads.STATUS_TEXT.values()),
        "settings page": set(settings_page.REASONS.values()) | set(settings_page.WEEKDAYS),
    }


def test_every_shown_label_is_registered():
    registered = set(REGISTERED)
    missing = {source: sorted(texts - registered) for source, texts in _shown_labels().items() if texts - registered}
    assert not missing, f"labels missing from ui/labels.py (register and translate them): {missing}"
    assert len(REGISTERED) == len(registered), "a label is registered twice"


def test_every_registered_label_is_translated():
    root = ET.parse(resource("translations", "jlexam_en.ts")).getroot()
    context = next(c for c in root.iter("context") if c.findtext("name") == "Labels")
    translated = {
        m.findtext("source")
        for m in context.iter("message")
        if m.find("translation").get("type") is None and (m.findtext("translation") or "").strip()
    }
    assert set(REGISTERED) | {SEPARATOR} <= translated


def test_label_in_both_languages(qapp):
    assert label("监考员") == "监考员" and joined(["主考", "监考员"]) == "主考、监考员"
    assert label("不是登记的名称") == "不是登记的名称"
    i18n.install("en")
    try:
        assert label("监考员") == "Invigilator"
        assert joined(["主考", "监考员"]) == "Chief examiner, Invigilator"
    finally:
        i18n.install("zh_CN")
