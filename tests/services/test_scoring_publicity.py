"""Double entry, reconciliation, results, publicity over the 2026 holidays, objections, the certificate block."""

from datetime import date, timedelta

import pytest

from jlexam.errors import PermissionDenied, StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.services import eligibility, publicity, registration, scoring, sittings
from tests.services.arrangement_helpers import hold
from tests.services.helpers import open_sitting, person
from tests.services.marking_helpers import choose_markers

CODE = "S2026-12"
EXAM_DAY = date(2026, 1, 10)  # early in 2026, so results can be published across its holidays


@pytest.fixture
def team(actor_for):
    return {
        "clerk1": actor_for(Role.EXAM_OFFICE),
        "clerk2": actor_for(Role.EXAM_OFFICE, Role.DATA_CLERK),
        "supervisor": actor_for(Role.SUPERVISOR),
    }


@pytest.fixture
def decided(admin, team):
    """Three approved level-4 applications (theory + practical), markers chosen, registration closed."""
    clerk, sup = team["clerk1"], team["supervisor"]
    open_sitting(admin, clerk, start=EXAM_DAY)
    ids = [registration.register_application(clerk, CODE, person(i)) for i in (1, 3, 5)]
    sittings.close_registration(clerk, CODE)
    eligibility.evaluate_sitting(clerk, CODE)
    for app_id in ids:
        eligibility.decide(sup, app_id, True)
    choose_markers(clerk, CODE)  # 002 §25: theory scores lock only once markers are chosen
    return ids


@pytest.fixture
def scored(team, decided):
    """The same sitting held: scores are entered after the exam day."""
    hold(team["clerk1"], team["supervisor"])
    return decided


def _enter_both(team, ids, part, first, second):
    scoring.enter_scores(team["clerk1"], CODE, part, 1, dict(zip(ids, first, strict=True)))
    scoring.enter_scores(team["clerk2"], CODE, part, 2, dict(zip(ids, second, strict=True)))


def test_second_round_must_be_another_clerk(db, team, scored):
    scoring.enter_scores(team["clerk1"], CODE, "theory", 1, {scored[0]: "80"})
    with pytest.raises(PermissionDenied, match="另一位工作人员"):
        scoring.enter_scores(team["clerk1"], CODE, "theory", 2, {scored[0]: "80"})


def test_second_clerk_is_blind_to_the_first(db, team, scored):
    scoring.enter_scores(team["clerk1"], CODE, "theory", 1, {scored[0]: "80"})
    sheet = scoring.entry_sheet(team["clerk2"], CODE, "theory", 2)
    assert {r.application_id: r.my_mark for r in sheet} == dict.fromkeys(scored, "")
    assert next(r.my_mark for r in scoring.entry_sheet(team["clerk1"], CODE, "theory", 1)) == "80"


def test_mismatch_blocks_locking_until_settled(db, team, scored):
    _enter_both(team, scored, "theory", ["80", "55", "缺考"], ["80", "59", "缺考"])
    view = scoring.reconciliation(team["supervisor"], CODE, "theory")
    assert view.agreed == 2 and view.mismatches == [(scored[1], "55", "59")]
    with pytest.raises(StateError, match="不一致"):
        scoring.lock_scores(team["supervisor"], CODE, "theory")
    with pytest.raises(ValidationError, match="依据"):
        scoring.settle(team["supervisor"], scored[1], "theory", "59", "")
    scoring.settle(team["supervisor"], scored[1], "theory", "59", "复核原始答卷")
    assert scoring.lock_scores(team["supervisor"], CODE, "theory") == 2
    with pytest.raises(StateError, match="已锁定"):
        scoring.enter_scores(team["clerk1"], CODE, "theory", 1, {scored[0]: "90"})


def test_bad_marks_are_refused(db, team, scored):
    for bad in ("101", "85.55", "八十五分半", "-1"):
        with pytest.raises(ValidationError):
            scoring.enter_scores(team["clerk1"], CODE, "theory", 1, {scored[0]: bad})


def _results(team, scored):
    _enter_both(team, scored, "theory", ["80", "59", "缺考"], ["80", "59", "缺考"])
    _enter_both(team, scored, "practical", ["75", "90", "缺考"], ["75", "90", "缺考"])
    for part in ("theory", "practical"):
        scoring.lock_scores(team["supervisor"], CODE, part)
    return scoring.compute_results(team["supervisor"], CODE)


def test_results_follow_the_standard(db, team, scored):
    assert _results(team, scored) == {"passed": 1, "failed": 1, "absent": 1}


def test_publicity_before_national_day_and_objection_deadline(db, team, scored):
    _results(team, scored)
    view = publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    assert view.end_on == date(2026, 10, 12) and not view.provisional  # Sat 10/10 is a working day
    with pytest.raises(ValidationError, match="公示期内"):
        publicity.record_objection(
            team["clerk1"], CODE, "李某", date(2026, 10, 13), "理论成绩偏低", scored[1]
        )
    objection = publicity.record_objection(
        team["clerk1"], CODE, "考生二", date(2026, 9, 30), "理论成绩偏低", scored[1]
    )
    (row,) = publicity.list_objections(team["supervisor"], CODE)
    assert row.due_on == date(2026, 10, 13)
    blockers = publicity.certification_blockers(team["supervisor"], CODE, date(2026, 10, 13))
    assert blockers == ["还有 1 件异议未答复。"]
    with pytest.raises(StateError, match="公示期至 2026-10-12"):
        publicity.finalize_results(team["supervisor"], CODE, date(2026, 10, 12))
    assert publicity.answer_objection(
        team["supervisor"],
        objection,
        "复核答卷，漏计一题 2 分",
        "理论成绩更正为 61 分",
        date(2026, 10, 9),
        {"theory": "61"},
    )
    assert any(
        "重新公示" in b
        for b in publicity.certification_blockers(team["supervisor"], CODE, date(2026, 10, 13))
    )
    rows = {r.id: r for r in eligibility.list_applications(team["supervisor"], CODE)}
    from jlexam.services.audit import search_events

    assert any(e.action == "score.change" for e in search_events(team["supervisor"], "异议复核"))
    view = publicity.publish_results(team["supervisor"], CODE, date(2026, 10, 13))
    assert view.version == 2 and view.end_on == date(2026, 10, 19)
    with pytest.raises(StateError):
        publicity.finalize_results(team["supervisor"], CODE, date(2026, 10, 19))
    publicity.finalize_results(team["supervisor"], CODE, date(2026, 10, 20))
    assert sittings.list_sittings(team["supervisor"])[0].state.value == "final"
    assert rows  # the applications are still there, results recomputed


def test_publicity_across_spring_festival_and_2027_is_provisional(db, team, scored):
    _results(team, scored)
    assert publicity.publish_results(team["supervisor"], CODE, date(2026, 2, 12)).end_on == date(2026, 2, 25)
    late = publicity.publish_results(team["supervisor"], CODE, date(2026, 12, 28))
    assert late.provisional
    assert any(
        "暂定" in b for b in publicity.certification_blockers(team["supervisor"], CODE, date(2027, 2, 1))
    )


def test_public_list_and_answer_letter(db, team, scored, tmp_path):
    import pypdfium2

    _results(team, scored)
    publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    publicity.write_publicity_list(team["supervisor"], CODE, tmp_path / "公示.pdf", tmp_path / "公示.xlsx")
    text = "".join(
        p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(str(tmp_path / "公示.pdf"))
    )
    assert "合格" in text and "220102********" in text and "13912345678" not in text
    objection = publicity.record_objection(
        team["clerk1"], CODE, "考生二", date(2026, 10, 8), "复核", scored[1]
    )
    publicity.answer_objection(team["supervisor"], objection, "复核答卷无误", "维持原成绩", date(2026, 10, 9))
    letter = publicity.write_answer_letter(
        team["supervisor"], objection, tmp_path / "答复书.pdf", "考务组长 王某"
    )
    assert "维持原成绩" in "".join(
        p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(str(letter))
    )


def test_a_locked_score_is_corrected_with_a_reason_until_results_are_final(db, team, scored):
    _results(team, scored)
    sup = team["supervisor"]
    with pytest.raises(ValidationError, match="理由"):
        scoring.change_score(sup, scored[1], "theory", "61", "")
    with pytest.raises(PermissionDenied):
        scoring.change_score(team["clerk1"], scored[1], "theory", "61", "复核答卷漏计 2 分")
    scoring.change_score(sup, scored[1], "theory", "61", "复核答卷漏计 2 分")
    from jlexam.services.audit import search_events
    from jlexam.store.models import Application

    with db.reading() as s:
        assert s.get(Application, scored[1]).result == "passed"  # 61 in theory, 90 in practical
    changes = [e for e in search_events(sup, "漏计") if e.action == "score.change"]
    assert len(changes) == 1 and "59" in changes[0].summary and "61" in changes[0].summary
    publicity.publish_results(sup, CODE, date(2026, 9, 30))
    publicity.finalize_results(sup, CODE, date(2026, 10, 13))
    with pytest.raises(StateError, match="成绩已确定"):
        scoring.change_score(sup, scored[1], "theory", "70", "复核答卷漏计 9 分")
    with pytest.raises(StateError):
        scoring.settle(sup, scored[2], "theory", "60", "复核原始答卷")


def test_no_objection_is_recorded_once_results_are_final(db, team, scored):
    _results(team, scored)
    sup = team["supervisor"]
    publicity.publish_results(sup, CODE, date(2026, 9, 30))
    publicity.finalize_results(sup, CODE, date(2026, 10, 13))
    with pytest.raises(StateError, match="成绩已确定"):
        publicity.record_objection(
            team["clerk1"], CODE, "考生二", date(2026, 10, 9), "理论成绩偏低", scored[1]
        )
    assert publicity.list_objections(sup, CODE) == []
    with pytest.raises(StateError, match="只能在成绩公示阶段确定成绩"):  # never back to final from later
        publicity.finalize_results(sup, CODE, date(2026, 10, 14))


def test_eligibility_decisions_are_fixed_once_results_exist(db, team, scored):
    _results(team, scored)
    sup = team["supervisor"]
    with pytest.raises(StateError, match="资格审核"):
        eligibility.decide(sup, scored[0], False, "复查发现工作年限不足")
    with pytest.raises(StateError, match="资格审核"):
        eligibility.evaluate_sitting(team["clerk1"], CODE)
    from jlexam.store.models import Application

    with db.reading() as s:
        assert s.get(Application, scored[0]).decision == "approved"


def test_scores_wait_for_the_exam_day(db, team, decided):
    """002 §25: scores follow the exam; before the sitting is marked held nothing is entered or locked."""
    with pytest.raises(StateError, match="标记为已考试后才能录入") as info:
        scoring.enter_scores(team["clerk1"], CODE, "theory", 1, {decided[0]: "80"})
    assert "当前为“报名截止”" in info.value.message
    with pytest.raises(StateError, match="标记为已考试"):
        scoring.lock_scores(team["supervisor"], CODE, "theory")
    with pytest.raises(StateError, match="标记为已考试"):
        scoring.compute_results(team["supervisor"], CODE)
    assert len(scoring.entry_sheet(team["clerk1"], CODE, "theory", 1)) == 3  # printable beforehand
    hold(team["clerk1"], team["supervisor"], absent=frozenset(decided[2:]))
    assert scoring.enter_scores(team["clerk1"], CODE, "theory", 1, {decided[0]: "80"}) == 1


def test_publicity_starts_after_the_exam_and_never_goes_back(db, team, scored):
    """002 §25: results follow the exam, and a list published again is not dated before the one it replaces."""
    _results(team, scored)
    sup = team["supervisor"]
    with pytest.raises(ValidationError, match="早于最后一场考试") as info:
        publicity.publish_results(sup, CODE, EXAM_DAY - timedelta(days=1))
    assert info.value.rule == "002 §25" and "2026-01-10" in info.value.message
    assert sittings.list_sittings(sup)[0].state.value == "marked"  # nothing recorded
    first = publicity.publish_results(sup, CODE, EXAM_DAY + timedelta(days=3))
    with pytest.raises(ValidationError, match="早于上一次公示"):
        publicity.publish_results(sup, CODE, EXAM_DAY + timedelta(days=2))
    again = publicity.publish_results(sup, CODE, first.start_on)  # the same day is allowed
    assert again.version == 2


def test_scores_follow_the_room_records(db, team, decided):
    """002 §24: a candidate recorded absent is scored 缺考, one recorded for misconduct 违纪 (the part is void);
    the entry sheet shows the record, and a contradicting score is neither locked, settled nor corrected."""
    cheat, away, honest = decided
    hold(team["clerk1"], team["supervisor"], absent=frozenset({away}), misconduct=frozenset({cheat}))
    sheet = {r.application_id: r.recorded for r in scoring.entry_sheet(team["clerk1"], CODE, "theory", 1)}
    assert sheet == {cheat: "违纪", away: "缺考", honest: ""}
    _enter_both(team, decided, "theory", ["84", "60", "75"], ["84", "60", "75"])
    sup = team["supervisor"]
    with pytest.raises(StateError) as info:
        scoring.lock_scores(sup, CODE, "theory")
    assert info.value.rule == "002 §24" and "2 条成绩与考场记录不符" in info.value.message
    assert "违纪，该部分成绩无效" in info.value.message and "应录“缺考”" in info.value.message
    with pytest.raises(ValidationError, match="应录“违纪”"):
        scoring.settle(sup, cheat, "theory", "84", "复核原始答卷")
    scoring.settle(sup, cheat, "theory", "违纪", "按考场记录")
    scoring.settle(sup, away, "theory", "缺考", "按考场记录")
    assert scoring.lock_scores(sup, CODE, "theory") == 1  # the honest one; the other two were settled
    with pytest.raises(ValidationError, match="应录“违纪”"):
        scoring.change_score(sup, cheat, "theory", "90", "考生申诉，复核答卷")
    # the practical session recorded nothing against them: their practical scores stand
    assert {r.recorded for r in scoring.entry_sheet(team["clerk1"], CODE, "practical", 1)} == {"", "缺考"}
