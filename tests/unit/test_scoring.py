"""Scores, double entry and results (002 §25): every accepted form, every refusal, reconcile and result."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jlexam.domain.scoring import (
    ABSENT,
    MISCONDUCT,
    MarkCode,
    Mismatch,
    mark_from_text,
    mark_label,
    mark_to_text,
    parse_score,
    part_passes,
    reconcile,
    result,
)
from jlexam.domain.standards import ExamPart, PartRule
from jlexam.errors import ValidationError

T, P, R = ExamPart.THEORY, ExamPart.PRACTICAL, ExamPart.REVIEW
RULES_3 = (PartRule(T, 90), PartRule(P, 60))  # levels 5-3: theory and practical
RULES_2 = (PartRule(T, 90), PartRule(P, 60), PartRule(R, 15))  # levels 2-1 add a review
D = Decimal

# --- parse_score ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85", D(85)),
        (85, D(85)),
        (85.0, D(85)),
        ("85.0", D(85)),
        ("85.5", D("85.5")),
        (85.5, D("85.5")),
        ("85.50", D("85.5")),
        (D("85.50"), D("85.5")),
        ("０", D(0)),
        ("0", D(0)),
        (0.0, D(0)),
        ("100", D(100)),
        (100.0, D(100)),
        ("８５", D(85)),
        ("８５．５", D("85.5")),
        ("85。5", D("85.5")),  # a Chinese input method's full stop for the decimal point
        (" 85 ", D(85)),
        ("\u3000８５\u3000", D(85)),
        ("85分", D(85)),
        (".5", D("0.5")),
        ("缺考", ABSENT),
        ("缺", ABSENT),
        (" 缺 考 ", ABSENT),
        ("absent", ABSENT),
        ("违纪", MISCONDUCT),
        ("MISCONDUCT", MISCONDUCT),
        (ABSENT, ABSENT),
        (MISCONDUCT, MISCONDUCT),
    ],
)
def test_parse_accepts_every_form(value: object, expected: object) -> None:
    mark = parse_score(value)  # type: ignore[arg-type]
    assert mark == expected
    assert type(mark) is type(expected)


def test_parsed_numbers_are_normalised() -> None:
    assert str(parse_score("85.0")) == "85"
    assert str(parse_score("85.50")) == "85.5"
    assert str(parse_score("-0")) == "0"
    assert str(parse_score("100.0")) == "100"


FORMS = "阿拉伯数字 0 至 100（最多一位小数，如 85 或 85.5），缺考填“缺考”，违纪填“违纪”"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "成绩“101”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。"),
        (101, "成绩“101”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。"),
        (100.5, "成绩“100.5”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。"),
        ("-1", "成绩“-1”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。"),
        (-0.5, "成绩“-0.5”超出范围：成绩为百分制，应在 0 至 100 之间，请核对原始评分记录。"),
        ("85.55", "成绩“85.55”的小数超过一位：成绩最多保留一位小数（如 85.5），请按评分记录填写。"),
        (85.55, "成绩“85.55”的小数超过一位：成绩最多保留一位小数（如 85.5），请按评分记录填写。"),
        (D("85.05"), "成绩“85.05”的小数超过一位：成绩最多保留一位小数（如 85.5），请按评分记录填写。"),
        ("八十", "成绩“八十”是汉字数字：请改用阿拉伯数字填写，如 80 或 85.5。"),
        ("八十五分", "成绩“八十五分”是汉字数字：请改用阿拉伯数字填写，如 80 或 85.5。"),
        ("", f"成绩未填写：请填写{FORMS}。"),
        ("   ", f"成绩未填写：请填写{FORMS}。"),
        (None, f"成绩未填写：请填写{FORMS}。"),
        ("abc", f"成绩“abc”无法识别：请填写{FORMS}。"),
        ("85..5", f"成绩“85..5”无法识别：请填写{FORMS}。"),
        ("1e2", f"成绩“1e2”无法识别：请填写{FORMS}。"),
        ("85/100", f"成绩“85/100”无法识别：请填写{FORMS}。"),
        ("合格", f"成绩“合格”无法识别：请填写{FORMS}。"),
        (True, f"成绩“True”无法识别：请填写{FORMS}。"),
        (float("nan"), f"成绩“nan”无法识别：请填写{FORMS}。"),
        (float("inf"), f"成绩“inf”无法识别：请填写{FORMS}。"),
        (D("NaN"), f"成绩“NaN”无法识别：请填写{FORMS}。"),
        ([85], f"成绩“[85]”无法识别：请填写{FORMS}。"),
    ],
)
def test_parse_refuses_with_a_chinese_message(value: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_score(value)  # type: ignore[arg-type]
    assert caught.value.message == message
    assert caught.value.rule == "002 §25"


def test_stored_and_printed_forms() -> None:
    assert mark_to_text(D("85.50")) == "85.5"
    assert mark_to_text(D(60)) == "60"
    assert mark_to_text(ABSENT) == "absent"
    assert mark_to_text(MISCONDUCT) == "misconduct"
    assert mark_from_text("absent") is ABSENT
    assert mark_from_text("85.5") == D("85.5")
    assert mark_label(D("85.5")) == "85.5"
    assert mark_label(ABSENT) == "缺考"
    assert mark_label(MISCONDUCT) == "违纪"
    assert mark_label(None) == ""
    with pytest.raises(ValidationError):
        mark_to_text(D("85.55"))


@given(st.integers(min_value=0, max_value=1000))
def test_stored_form_round_trips(tenths: int) -> None:
    mark = D(tenths) / 10
    assert parse_score(mark_to_text(mark)) == mark
    assert parse_score(float(mark_to_text(mark))) == mark
    assert parse_score(mark_label(mark)) == mark


# --- reconcile -----------------------------------------------------------------------------------------


def test_reconcile_lists_agreement_mismatches_and_gaps() -> None:
    first = {"a": D(85), "b": D(70), "c": ABSENT, "d": D(60), "e": None, "f": MISCONDUCT}
    second = {"a": D("85.0"), "b": D(71), "c": ABSENT, "g": D(90), "e": D(50), "f": D(0)}
    rec = reconcile(first, second)
    assert rec.agreed == {"a": D(85), "c": ABSENT}
    assert rec.mismatches == [Mismatch("b", D(70), D(71)), Mismatch("f", MISCONDUCT, D(0))]
    assert rec.missing_second == ["d"]
    assert rec.missing_first == ["g", "e"]  # in the second entry's order; None counts as not entered
    assert not rec.complete
    assert rec.summary() == (
        "两次录入核对结果：一致 2 项，不一致 2 项，第一次录入缺少 2 项，第二次录入缺少 1 项。"
        "请核对原始评分记录，补录或更正后再确认。"
    )
    assert str(rec.mismatches[0]) == "b：第一次录入 70，第二次录入 71"


def test_reconcile_of_matching_entries_is_complete() -> None:
    rec = reconcile({1: D(85), 2: ABSENT}, {2: ABSENT, 1: D(85)})
    assert rec.complete
    assert rec.agreed == {1: D(85), 2: ABSENT}
    assert rec.summary() == "两次录入一致，共 2 项成绩，可以确认锁定。"


def test_a_code_never_equals_a_number() -> None:
    rec = reconcile({"x": ABSENT}, {"x": D(0)})
    assert rec.mismatches == [Mismatch("x", ABSENT, D(0))]
    rec = reconcile({"x": ABSENT}, {"x": MISCONDUCT})
    assert len(rec.mismatches) == 1


marks = st.one_of(
    st.integers(min_value=0, max_value=1000).map(lambda n: D(n) / 10), st.sampled_from(list(MarkCode))
)
entries = st.dictionaries(st.text(min_size=1, max_size=8), marks, max_size=30)


@given(entries)
def test_reconcile_of_identical_entries_has_no_mismatch(entry: dict[str, object]) -> None:
    rec = reconcile(entry, dict(entry))  # type: ignore[arg-type]
    assert rec.mismatches == []
    assert rec.missing_first == rec.missing_second == []
    assert rec.complete
    assert rec.agreed == entry


@given(entries, entries)
def test_reconcile_accounts_for_every_key(first: dict[str, object], second: dict[str, object]) -> None:
    rec = reconcile(first, second)  # type: ignore[arg-type]
    keys = (
        set(rec.agreed) | {m.key for m in rec.mismatches} | set(rec.missing_first) | set(rec.missing_second)
    )
    assert keys == set(first) | set(second)
    swapped = reconcile(second, first)  # type: ignore[arg-type]
    assert set(swapped.agreed) == set(rec.agreed)
    assert set(swapped.missing_first) == set(rec.missing_second)
    assert set(swapped.missing_second) == set(rec.missing_first)
    assert {m.key for m in swapped.mismatches} == {m.key for m in rec.mismatches}


# --- result --------------------------------------------------------------------------------------------


def test_passes_when_every_part_reaches_the_pass_mark() -> None:
    r = result({T: D(60), P: D("85.5")}, RULES_3)
    assert r.passed is True
    assert r.failed_parts == ()
    assert not r.absent and not r.misconduct
    assert r.label == "合格" and r.status == "passed"
    assert r.reason == "理论知识考试 60 分、操作技能考核 85.5 分，各部分均达到合格线，认定合格。"


@pytest.mark.parametrize("failing", [T, P, R])
def test_each_part_failing_fails_the_candidate(failing: ExamPart) -> None:
    scores = {T: D(80), P: D(80), R: D(80)}
    scores[failing] = D("59.9")
    r = result(scores, RULES_2)
    assert r.passed is False
    assert r.failed_parts == (failing,)
    assert not r.absent
    assert r.label == "不合格" and r.status == "failed"
    assert r.reason == f"{failing.label} 59.9 分，低于合格线 60 分，认定不合格。"


def test_several_failing_parts_are_all_named_in_order() -> None:
    r = result({P: D(10), T: D(20)}, RULES_3)
    assert r.failed_parts == (T, P)
    assert (
        r.reason == "理论知识考试 20 分，低于合格线 60 分；操作技能考核 10 分，低于合格线 60 分，认定不合格。"
    )


def test_absent_in_one_part_fails_with_that_reason() -> None:
    r = result({T: D(90), P: ABSENT}, RULES_3)
    assert r.passed is False
    assert r.absent is True
    assert r.failed_parts == (P,)
    assert r.reason == "操作技能考核缺考，认定不合格。"
    assert r.label == "不合格"  # sat the theory exam
    assert r.status == "failed"


def test_absent_in_every_part_is_labelled_absent() -> None:
    r = result({T: ABSENT, P: ABSENT}, RULES_3)
    assert r.passed is False and r.absent and r.absent_everywhere
    assert r.label == "缺考" and r.status == "absent"
    assert r.reason == "理论知识考试、操作技能考核缺考，认定不合格。"


def test_misconduct_fails_and_wins_the_label() -> None:
    r = result({T: MISCONDUCT, P: D(30)}, RULES_3)
    assert r.passed is False
    assert r.misconduct and not r.absent
    assert r.failed_parts == (T, P)
    assert r.label == "违纪" and r.status == "failed"
    assert r.reason == "理论知识考试违纪，该部分成绩无效；操作技能考核 30 分，低于合格线 60 分，认定不合格。"
    r = result({T: MISCONDUCT, P: ABSENT}, RULES_3)
    assert r.label == "违纪"
    assert r.reason == "理论知识考试违纪，该部分成绩无效；操作技能考核缺考，认定不合格。"


def test_incomplete_marks_give_no_verdict() -> None:
    r = result({T: D(85), P: None}, RULES_3)
    assert r.passed is None
    assert r.missing_parts == (P,)
    assert r.label == "待定" and r.status == "pending"
    assert r.reason == "成绩未录齐：缺少操作技能考核的成绩，暂不能判定（已录入：理论知识考试 85 分）。"
    r = result({}, RULES_2)
    assert r.passed is None
    assert r.missing_parts == (T, P, R)
    assert r.reason == "成绩未录齐：缺少理论知识考试、操作技能考核、综合评审的成绩，暂不能判定。"
    # A failure already known is reported, but the verdict waits for every part.
    r = result({T: D(10)}, RULES_3)
    assert r.passed is None and r.failed_parts == (T,)


def test_pass_mark_comes_from_the_standard() -> None:
    rules = (PartRule(T, 90, pass_mark=D(70)), PartRule(P, 60))
    assert result({T: D(69), P: D(90)}, rules).passed is False
    assert result({T: D(70), P: D(60)}, rules).passed is True
    assert part_passes(D("69.9"), rules[0]) is False
    assert part_passes(D(70), rules[0]) is True
    assert part_passes(ABSENT, rules[0]) is False
    assert part_passes(MISCONDUCT, rules[0]) is False
    with pytest.raises(TypeError):
        part_passes(70, rules[0])  # type: ignore[arg-type]


def test_a_mark_for_a_part_the_level_does_not_have_is_refused() -> None:
    with pytest.raises(ValidationError, match="有本等级不考核的部分的成绩（综合评审）"):
        result({T: D(80), P: D(80), R: D(80)}, RULES_3)
    assert result({T: D(80), P: D(80), R: None}, RULES_3).passed is True


def test_a_standard_without_parts_is_refused() -> None:
    with pytest.raises(ValidationError, match="没有设置考核部分"):
        result({T: D(80)}, ())
    with pytest.raises(ValidationError, match="出现了两次"):
        result({T: D(80)}, (PartRule(T, 90), PartRule(T, 90)))


numbers = st.integers(min_value=0, max_value=1000).map(lambda n: D(n) / 10)


@given(
    st.lists(numbers, min_size=3, max_size=3),
    st.lists(st.integers(min_value=0, max_value=300).map(lambda n: D(n) / 10), min_size=3, max_size=3),
)
def test_result_is_monotonic_in_scores(low: list[Decimal], raise_by: list[Decimal]) -> None:
    high = [min(a + b, D(100)) for a, b in zip(low, raise_by, strict=True)]
    before = result(dict(zip((T, P, R), low, strict=True)), RULES_2)
    after = result(dict(zip((T, P, R), high, strict=True)), RULES_2)
    if before.passed:
        assert after.passed
    assert set(after.failed_parts) <= set(before.failed_parts)
    assert before.passed == all(score >= 60 for score in low)


@given(st.lists(st.one_of(numbers, st.sampled_from([ABSENT, MISCONDUCT])), min_size=2, max_size=2))
def test_a_code_never_passes(parts: list[object]) -> None:
    r = result(dict(zip((T, P), parts, strict=True)), RULES_3)  # type: ignore[arg-type]
    if any(isinstance(p, MarkCode) for p in parts):
        assert r.passed is False


def test_publicity_start_problem() -> None:
    from datetime import date

    from jlexam.domain.scoring import publicity_start_problem

    exam = date(2026, 9, 12)
    assert publicity_start_problem(exam, exam) is None  # the exam day itself
    assert "早于最后一场考试" in (publicity_start_problem(date(2026, 9, 11), exam) or "")
    assert publicity_start_problem(date(2026, 9, 11), None) is None  # a sitting without sessions
    assert "早于上一次公示" in (publicity_start_problem(date(2026, 9, 20), exam, date(2026, 9, 21)) or "")
    assert publicity_start_problem(date(2026, 9, 21), exam, date(2026, 9, 21)) is None


def test_room_records_decide_codes() -> None:
    from decimal import Decimal

    from jlexam.domain.scoring import ABSENT, MISCONDUCT, room_record_codes, room_record_conflicts

    codes = room_record_codes([(1, "absent"), (2, "misconduct"), (2, "absent"), (3, "incident"), (4, "absent")])
    assert codes == {1: ABSENT, 2: MISCONDUCT, 4: ABSENT}  # misconduct outweighs an absence
    marks = {1: ABSENT, 2: Decimal(84), 3: Decimal(70), 4: Decimal(0)}
    assert room_record_conflicts(marks, codes) == {2: (MISCONDUCT, Decimal(84)), 4: (ABSENT, Decimal(0))}
    assert room_record_conflicts({1: ABSENT}, {1: ABSENT, 9: MISCONDUCT}) == {}  # 9 not being scored
