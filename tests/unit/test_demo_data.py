"""Demo data: valid and consistent ID numbers, determinism, rare characters, photos, catalogue files."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from jlexam.demo import demo_institution, make_name, make_people, make_photo, meets_typical_conditions
from jlexam.demo.names import RARE_CHARACTERS, has_non_bmp
from jlexam.demo.people import EDUCATIONS, MAX_AGE, MIN_AGE, age_on
from jlexam.demo.photos import HEIGHT, WIDTH
from jlexam.domain.credit_code import parse_credit_code
from jlexam.domain.idcard import Sex, parse_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import (
    load_occupations,
    load_regions,
    occupations_path,
    parse_occupations,
    regions_path,
)

TODAY = date(2026, 11, 22)
PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture(scope="module")
def occupations() -> list[tuple[str, tuple[SkillLevel, ...]]]:
    return [(o.code, o.levels) for o in load_occupations()]


@pytest.fixture(scope="module")
def people(occupations):
    return make_people(10_000, 20260101, occupations, TODAY)


# --- people ------------------------------------------------------------------------------------------------


def test_every_id_number_is_valid_and_agrees_with_birth_date_and_sex(people):
    regions = {r.code for r in load_regions()}
    for person in people:
        resident = parse_id_number(person.id_number, today=TODAY)
        assert resident.birth_date == person.birth_date
        assert resident.sex == person.sex
        assert resident.region in regions


def test_id_numbers_and_names_are_unique_in_ten_thousand(people):
    assert len({p.id_number for p in people}) == len(people)
    assert len({p.name for p in people}) >= 0.995 * len(people)


def test_same_seed_same_people_other_seed_other_people(occupations):
    first = make_people(300, 5, occupations, TODAY)
    assert make_people(300, 5, occupations, TODAY) == first
    other = make_people(300, 6, occupations, TODAY)
    assert [p.id_number for p in other] != [p.id_number for p in first]
    assert len({p.name for p in other} & {p.name for p in first}) < 100


def test_fields_are_plausible(people, occupations):
    levels_of = dict(occupations)
    for person in people:
        assert MIN_AGE <= age_on(person.birth_date, TODAY) <= MAX_AGE
        assert PHONE.fullmatch(person.phone)
        assert person.education in EDUCATIONS
        assert person.employer
        assert 0 <= person.years_in_occupation <= age_on(person.birth_date, TODAY) - 16
        assert person.level in levels_of[person.occupation_code]
        assert (person.prior_level is None) == (person.prior_certificate_date is None)
        if person.prior_certificate_date is not None:
            assert person.prior_certificate_date <= TODAY
            assert person.prior_level > person.level  # the level below the one applied for
        if person.student_number is not None:
            assert person.level >= SkillLevel.LEVEL_3  # 003 三(三)
            assert person.major and person.graduation_year


def test_mostly_eligible_a_few_deliberately_not(people):
    for person in people:
        assert meets_typical_conditions(person, TODAY) == person.intended_eligible
    not_eligible = sum(not p.intended_eligible for p in people)
    assert 0.01 * len(people) <= not_eligible <= 0.06 * len(people)


def test_students_and_workers_and_levels_all_present(people):
    students = sum(p.student_number is not None for p in people)
    assert 0.2 * len(people) < students < 0.5 * len(people)
    assert {int(p.level) for p in people} == {1, 2, 3, 4, 5}
    assert {p.sex for p in people} == {Sex.MALE, Sex.FEMALE}


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    levels=st.sets(st.integers(min_value=1, max_value=5), min_size=1),
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31)),
)
def test_any_seed_levels_and_day_give_consistent_people(seed, levels, today):
    people = make_people(60, seed, [("6-31-01-03", tuple(levels))], today)
    assert len({p.id_number for p in people}) == 60
    for person in people:
        resident = parse_id_number(person.id_number, today=today)
        assert (resident.birth_date, resident.sex) == (person.birth_date, person.sex)
        assert int(person.level) in levels
        assert MIN_AGE <= age_on(person.birth_date, today) <= MAX_AGE
        assert meets_typical_conditions(person, today) == person.intended_eligible


def test_ten_thousand_people_well_under_two_seconds(occupations):
    started = time.perf_counter()
    make_people(10_000, 99, occupations, TODAY)
    assert time.perf_counter() - started < 1.5


# --- names -------------------------------------------------------------------------------------------------


def test_some_names_hold_rare_characters_outside_the_bmp(people, occupations):
    rare = [p.name for p in people if has_non_bmp(p.name)]
    assert 15 <= len(rare) <= 120  # about 0.5 % of 10,000
    assert all(any(ch in RARE_CHARACTERS for ch in name) for name in rare)
    # The rate is fixed by the seed: the same seed gives the same rare names again.
    assert [p.name for p in make_people(2_000, 20260101, occupations, TODAY) if has_non_bmp(p.name)] == [
        p.name for p in people[:2_000] if has_non_bmp(p.name)
    ]


def test_names_have_a_surname_and_one_or_two_given_characters():
    import random

    rng = random.Random(3)
    names = [make_name(rng, Sex.FEMALE if i % 2 else Sex.MALE) for i in range(2_000)]
    assert all(2 <= len(name) <= 4 for name in names)
    assert any(name[:2] in {"欧阳", "司马", "上官", "诸葛", "慕容", "司徒", "东方", "皇甫"} for name in names)


# --- photos ------------------------------------------------------------------------------------------------


def test_photo_is_a_one_inch_jpeg_and_deterministic():
    data = make_photo(7, Sex.FEMALE)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (WIDTH, HEIGHT) == (295, 413)
    assert image.info.get("dpi") == (300, 300)
    assert 2_000 < len(data) < 30_000
    assert make_photo(7, Sex.FEMALE) == data
    assert make_photo(8, Sex.FEMALE) != data
    assert make_photo(7, Sex.MALE) != data


def test_photo_is_fast():
    started = time.perf_counter()
    for seed in range(100):
        make_photo(seed, Sex.MALE)
    assert (time.perf_counter() - started) / 100 < 0.02  # budget 5 ms; generous for a loaded CI machine


def test_photo_saved_for_a_look(tmp_path):
    path = tmp_path / "demo_photo.jpg"
    path.write_bytes(make_photo(42, Sex.FEMALE))
    with Image.open(path) as image:
        image.load()
        assert image.mode == "RGB"
        # a plain background: the top corners are one colour
        assert image.getpixel((3, 3)) == pytest.approx(image.getpixel((WIDTH - 4, 3)), abs=6)


# --- institution -------------------------------------------------------------------------------------------


def test_demo_institution():
    inst = demo_institution()
    assert inst["kind"] == "vocational_school"
    assert inst["filed_name"].startswith("吉林") and inst["filed_name"].endswith("职业技术学院")
    code = inst["unified_social_credit_code"]
    assert parse_credit_code(code) == code and code[2:8].startswith("220")
    assert inst["filing_valid_until"] > inst["filing_date"]
    assert (inst["filing_valid_until"] - inst["filing_date"]).days in range(3 * 365, 3 * 366)
    parts = inst["certificate_number_parts"]
    assert parts["category"] == "Y" and parts["institution_code"] == "0000" and parts["province"] == "22"
    assert re.fullmatch(r"\d{6}", parts["site_serial"])
    catalogue = {o.code: o for o in load_occupations()}
    for occupation_code, work_type, levels in inst["scope"]:
        occupation = catalogue[occupation_code]
        assert work_type is None or work_type in occupation.work_types
        assert levels and all(level in occupation.levels for level in levels)
    kinds = {room["kind"] for site in inst["sites"] for room in site["rooms"]}
    assert kinds == {"theory", "practical", "review", "exam_office", "waiting", "marking"}
    for site in inst["sites"]:
        for room in site["rooms"]:
            assert room["video_surveillance"] is True
            assert room["capacity"] <= room["rows"] * room["columns"]


# --- catalogue files ---------------------------------------------------------------------------------------


def test_occupation_catalogue_rows():
    with occupations_path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "name", "work_types", "levels", "category_note"]
    assert len(rows) >= 25
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        assert re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", row["code"]), row
        assert row["name"]
        assert all(level in "12345" and level for level in row["levels"].split("|")), row


def test_load_occupations():
    occupations = {o.code: o for o in load_occupations()}
    electrician = occupations["6-31-01-03"]
    assert electrician.name == "电工"
    assert electrician.levels == tuple(SkillLevel(v) for v in (5, 4, 3, 2, 1))
    assert electrician.work_types == ()
    assert "数据标注员" in occupations["4-04-05-05"].work_types
    assert all(isinstance(level, SkillLevel) for o in occupations.values() for level in o.levels)


def test_broken_catalogue_row_names_file_and_line(tmp_path):
    path = tmp_path / "occupations.csv"
    path.write_text(
        "code,name,work_types,levels,category_note\n6-31-01-03,电工,,5|4|3|2|1,\n6-31-1-03,电工,,5,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="第 3 行"):
        parse_occupations(path)
    path.write_text("code,name,work_types,levels,category_note\n6-31-01-03,电工,,5|9,\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="levels"):
        parse_occupations(path)


def test_regions_are_jilin_six_digit_codes():
    regions = load_regions()
    assert len(regions) >= 40
    assert len({r.code for r in regions}) == len(regions)
    assert all(re.fullmatch(r"22\d{4}", r.code) and r.name for r in regions)
    assert {"220102", "222401"} <= {r.code for r in regions}
    with regions_path().open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "code,name"
