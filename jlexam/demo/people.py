"""Deterministic demo candidates: plausible, mostly eligible, a few deliberately not.

``make_people(n, seed, occupations, today)`` draws everything from ``random.Random(seed)``: the same
arguments give the same people, in the same order. Every ID number is valid (GB 11643, a Jilin region
code), agrees with the person's birth date and sex, and is unique within one call. About 35 % of the
people are graduating students of a vocational college (student number, major, class as employer); the
rest are workers of Jilin employers.

Each person is built for one application (occupation and level) along one route of the typical
eligibility conditions of RULES.md "Registration and eligibility" (years in the occupation, years since
the level below, a matching diploma). About 3 in 100 are built to fail those conditions (too few years,
a certificate too recent, no level below); ``intended_eligible`` records which, so tests of the
eligibility review can check that it finds exactly those. :func:`meets_typical_conditions` is this
module's own reading of the conditions, used to keep the generator honest; it is not the eligibility
review of the services.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from jlexam.demo.names import make_name
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.exchange.catalogue import load_regions

EDUCATIONS: tuple[str, ...] = ("初中", "高中/中专", "技工院校", "大专/高职", "本科", "研究生")
_WORKER_EDUCATION_WEIGHTS = (18, 30, 12, 25, 13, 2)
# Diplomas that count for 四级 ("a matching diploma: 技工院校, 中职 or higher").
DIPLOMA_FOR_LEVEL_4 = frozenset({"高中/中专", "技工院校", "大专/高职", "本科", "研究生"})
# Diplomas that, with 四级, count for 三级 ("level 4 plus a 高职/专科 diploma").
DIPLOMA_FOR_LEVEL_3 = frozenset({"大专/高职", "本科", "研究生"})
# Age at graduation for a diploma, to place graduation years plausibly.
_GRADUATION_AGE = {"初中": 15, "高中/中专": 18, "技工院校": 19, "大专/高职": 21, "本科": 22, "研究生": 25}

MIN_AGE = 18
MAX_AGE = 55
STUDENT_SHARE = 0.35
INELIGIBLE_SHARE = 0.03

# Typical conditions (RULES.md): years in the occupation, and years since the level just below.
YEARS_FOR_LEVEL_4 = 5
YEARS_AFTER_5_FOR_4 = 3
YEARS_FOR_LEVEL_3 = 10
YEARS_AFTER_4_FOR_3 = 4
YEARS_AFTER_3_FOR_2 = 5
YEARS_AFTER_2_FOR_1 = 4

_WORKER_LEVEL_WEIGHTS = {5: 30, 4: 30, 3: 25, 2: 11, 1: 4}
_STUDENT_LEVEL_WEIGHTS = {5: 15, 4: 60, 3: 25}  # 003 三(三): students up to 三级/高级工
_AGE_RANGE = {5: (18, 45), 4: (21, 50), 3: (26, 55), 2: (30, 55), 1: (36, 55)}

_PHONE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182",
    "183", "184", "185", "186", "187", "188", "189", "191", "193", "198", "199",
)

# Share of women among the people of an occupation (by code or code prefix); 0.5 when not listed.
_FEMALE_SHARE = {
    "4-10-01": 0.93, "4-10-03": 0.85, "4-03-02-07": 0.8, "4-03-02-05": 0.75, "4-14": 0.75,
    "4-01-06": 0.6, "4-07": 0.7, "4-03-02-02": 0.5, "4-03-02-04": 0.6, "4-03-02-01": 0.25,
    "4-12": 0.08, "6-31": 0.05, "6-18": 0.08, "6-20": 0.12, "5-": 0.35, "3-01": 0.45,
}

_INDUSTRIES = {
    "6-31": ("机电设备安装有限公司", "电力工程有限公司", "设备维修服务有限公司", "热电有限公司"),
    "6-18": ("机械制造有限公司", "精密机械有限公司", "汽车零部件有限公司", "重型机械有限公司"),
    "6-20": ("焊接材料有限公司", "装备制造有限公司", "机械制造有限公司"),
    "6-02": ("食品有限公司", "烘焙食品有限公司"),
    "5-": ("农业科技有限公司", "种业有限公司", "农民专业合作社"),
    "4-03": ("餐饮管理有限公司", "大酒店有限公司", "茶文化传播有限公司", "酒店管理有限公司"),
    "4-10-01-03": ("托育服务有限公司", "幼儿园", "早期教育中心"),
    "4-10-01": ("家政服务有限公司", "养老服务中心", "社区居家养老服务有限公司"),
    "4-10-03": ("美容美发有限公司", "形象设计工作室", "美业连锁有限公司"),
    "4-12": ("汽车销售服务有限公司", "汽车维修服务有限公司", "汽车服务有限公司"),
    "4-01": ("电子商务有限公司", "网络科技有限公司", "商贸有限公司"),
    "4-04": ("软件有限公司", "信息技术有限公司", "数据科技有限公司"),
    "4-07": ("人力资源服务有限公司", "企业管理咨询有限公司"),
    "4-14": ("健康管理有限公司", "社区卫生服务中心"),
    "3-01": ("建筑设计有限公司", "工程咨询有限公司", "机械设计有限公司"),
}
_DEFAULT_INDUSTRIES = ("实业有限公司", "科技有限公司")
_BRANDS = (
    "宏达", "鑫源", "恒通", "华信", "长兴", "瑞丰", "盛世", "金诚", "东晟", "北辰", "松江", "天宇",
    "中联", "吉瑞", "博远", "鼎盛", "永安", "安泰", "启航", "兴隆", "富源", "嘉禾", "锦程", "福瑞",
    "远航", "新阳", "龙腾", "融创", "汇通", "昌盛", "振华", "凯达", "通达", "宏图", "德润", "源丰",
)
_CITIES = {
    "2201": "长春市", "2202": "吉林市", "2203": "四平市", "2204": "辽源市", "2205": "通化市",
    "2206": "白山市", "2207": "松原市", "2208": "白城市", "2224": "延吉市",
}

_MAJORS = {
    "6-31": ("电气自动化技术", "机电一体化技术", "供用电技术"),
    "6-18-02-04": ("智能焊接技术", "机械制造及自动化"),
    "6-18": ("数控技术", "机械制造及自动化", "模具设计与制造"),
    "6-20": ("智能焊接技术", "材料工程技术"),
    "6-02": ("食品智能加工技术", "中西面点工艺"),
    "5-": ("现代农业技术", "作物生产与经营管理", "园艺技术"),
    "4-03-02-07": ("茶艺与茶文化", "酒店管理与数字化运营"),
    "4-03": ("烹饪工艺与营养", "中西面点工艺", "西式烹饪工艺"),
    "4-10-01-03": ("婴幼儿托育服务与管理", "学前教育"),
    "4-10-01": ("家政服务与管理", "智慧健康养老服务与管理"),
    "4-10-03": ("人物形象设计", "美容美体艺术"),
    "4-12": ("汽车检测与维修技术", "新能源汽车技术"),
    "4-01": ("电子商务", "网络营销与直播电商"),
    "4-04": ("软件技术", "计算机应用技术", "人工智能技术应用", "大数据技术"),
    "4-07": ("人力资源管理",),
    "4-14": ("健康管理", "护理"),
    "3-01": ("建筑工程技术", "机械设计与制造"),
}
_DEFAULT_MAJORS = ("机电一体化技术",)


@dataclass(frozen=True, slots=True)
class DemoPerson:
    name: str
    sex: Sex
    id_number: str
    birth_date: date
    phone: str
    education: str  # one of EDUCATIONS
    employer: str  # company, or the class of a student
    years_in_occupation: int
    prior_level: SkillLevel | None  # the person's highest certificate in this occupation
    prior_certificate_date: date | None
    student_number: str | None
    major: str | None  # of the diploma (or of the studies, for a student)
    graduation_year: int | None
    occupation_code: str
    level: SkillLevel  # the level applied for
    intended_eligible: bool = True  # False for the few built to fail the typical conditions


def _lookup(table: dict[str, object], code: str, default):
    """The entry for the longest prefix of ``code`` (whole code, 7, 4 or 2 characters) found in ``table``."""
    for key in (code, code[:7], code[:4], code[:2]):
        if key in table:
            return table[key]
    return default


def age_on(birth: date, today: date) -> int:
    """Full years of age on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def years_between(start: date, end: date) -> int:
    """Full years from ``start`` to ``end`` (0 when ``end`` is before ``start``)."""
    return max(0, age_on(start, end))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def meets_typical_conditions(person: DemoPerson, today: date) -> bool:
    """This module's reading of RULES.md's typical conditions; see the module docstring."""
    level = int(person.level)
    years = person.years_in_occupation
    prior = int(person.prior_level) if person.prior_level is not None else None
    since = years_between(person.prior_certificate_date, today) if person.prior_certificate_date else -1
    diploma = person.major is not None
    if level == 5:
        return age_on(person.birth_date, today) >= 16
    if level == 4:
        return (
            years >= YEARS_FOR_LEVEL_4
            or (prior == 5 and since >= YEARS_AFTER_5_FOR_4)
            or (diploma and person.education in DIPLOMA_FOR_LEVEL_4)
        )
    if level == 3:
        return (
            years >= YEARS_FOR_LEVEL_3
            or (prior == 4 and since >= YEARS_AFTER_4_FOR_3)
            or (prior == 4 and diploma and person.education in DIPLOMA_FOR_LEVEL_3)
        )
    if level == 2:
        return prior == 3 and since >= YEARS_AFTER_3_FOR_2
    return prior == 2 and since >= YEARS_AFTER_2_FOR_1


@lru_cache(maxsize=1)
def _regions() -> tuple[tuple[str, ...], tuple[int, ...]]:
    codes = tuple(r.code for r in load_regions())
    # Changchun's districts hold most of the applicants of a Changchun college.
    weights = tuple(6 if c.startswith("2201") else 2 if c.startswith("2202") else 1 for c in codes)
    cumulative, total = [], 0
    for w in weights:
        total += w
        cumulative.append(total)
    return codes, tuple(cumulative)


class _Builder:
    """Holds the random source and what must stay unique within one call."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.ids: set[str] = set()
        self.names: set[str] = set()
        self.student_serial = 0
        self.regions, self.region_weights = _regions()

    # --- small parts -----------------------------------------------------------------------------------
    def choose_weighted(self, weights: dict[int, int], allowed: Sequence[int]) -> int | None:
        options = [lv for lv in allowed if lv in weights]
        if not options:
            return None
        return self.rng.choices(options, weights=[weights[lv] for lv in options], k=1)[0]

    def birth_date(self, age: int) -> date:
        """A birth date giving exactly ``age`` full years today."""
        latest = _years_before(self.today, age)  # birthday today
        earliest = _years_before(self.today, age + 1) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def certificate_date(self, min_years_ago: int, max_years_ago: int) -> date:
        """A date between ``max_years_ago`` (inclusive, roughly) and ``min_years_ago`` full years ago."""
        years = self.rng.randint(min_years_ago, max_years_ago)
        return _years_before(self.today, years) - timedelta(days=self.rng.randrange(0, 300))

    def id_number(self, region: str, birth: date, sex: Sex) -> str:
        rng = self.rng
        for _ in range(50):
            sequence = rng.randrange(0, 500) * 2 + (1 if sex == Sex.MALE else 0)
            number = build_id_number(region, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number
        # 500 order codes per region, day and sex: only reachable with absurd n; take the next free one.
        for sequence in range(1 if sex == Sex.MALE else 0, 1000, 2):
            number = build_id_number(region, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number
        raise RuntimeError("no free ID number left for this region, birth date and sex")

    def name(self, sex: Sex) -> str:
        candidate = make_name(self.rng, sex)
        for _ in range(6):
            if candidate not in self.names:
                break
            candidate = make_name(self.rng, sex)
        self.names.add(candidate)
        return candidate

    def phone(self) -> str:
        return self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def employer(self, region: str, code: str) -> str:
        city = _CITIES.get(region[:4], "长春市")
        industry = self.rng.choice(_lookup(_INDUSTRIES, code, _DEFAULT_INDUSTRIES))
        return f"{city}{self.rng.choice(_BRANDS)}{industry}"

    def major(self, code: str) -> str:
        return self.rng.choice(_lookup(_MAJORS, code, _DEFAULT_MAJORS))

    # --- one person ------------------------------------------------------------------------------------
    def person(self, code: str, levels: Sequence[int]) -> DemoPerson:
        rng = self.rng
        allowed = sorted({int(lv) for lv in levels}, reverse=True)
        female = _lookup(_FEMALE_SHARE, code, 0.5)
        sex = Sex.FEMALE if rng.random() < female else Sex.MALE
        eligible = rng.random() >= INELIGIBLE_SHARE
        student_levels = [lv for lv in allowed if lv >= 3]
        if student_levels and rng.random() < STUDENT_SHARE:
            fields = self.student(code, student_levels, eligible)
        else:
            fields = self.worker(code, allowed, eligible)
        region = rng.choices(self.regions, cum_weights=self.region_weights, k=1)[0]
        birth = fields.pop("birth_date")
        if fields["employer"] is None:
            fields["employer"] = self.employer(region, code)
        return DemoPerson(
            name=self.name(sex),
            sex=sex,
            id_number=self.id_number(region, birth, sex),
            birth_date=birth,
            phone=self.phone(),
            occupation_code=code,
            **fields,
        )

    def student(self, code: str, allowed: list[int], eligible: bool) -> dict:
        rng, today = self.rng, self.today
        level = self.choose_weighted(_STUDENT_LEVEL_WEIGHTS, allowed) or allowed[0]
        if not eligible:
            # A graduating student of a matching major qualifies for 五级 and 四级; only 三级 without
            # 四级 can be built to fail.
            if 3 in allowed:
                level = 3
            else:
                eligible = True
        # Graduating-year students first (003): the school year ends in July.
        graduating = today.year if today.month < 7 else today.year + 1
        graduation_year = graduating if rng.random() < 0.8 else graduating + 1
        education = "大专/高职" if rng.random() < 0.85 else "本科"
        enrolled = graduation_year - (3 if education == "大专/高职" else 4)
        age = _GRADUATION_AGE[education] - (graduation_year - today.year) + rng.randint(-1, 1)
        age = min(max(age, MIN_AGE), 24)
        major = self.major(code)
        self.student_serial += 1
        student_number = f"{enrolled}{rng.randint(1, 12):02d}{self.student_serial:05d}"
        employer = f"{major}{enrolled % 100:02d}级{rng.randint(1, 4)}班"
        prior_level: SkillLevel | None = None
        prior_date: date | None = None
        if level == 3 and eligible:
            # 四级 earned during the studies, plus the 高职/专科 diploma of the graduating year.
            prior_level, prior_date = SkillLevel.LEVEL_4, self.certificate_date(0, 1)
        return {
            "birth_date": self.birth_date(age),
            "education": education,
            "employer": employer,
            "years_in_occupation": rng.randint(0, 1),
            "prior_level": prior_level,
            "prior_certificate_date": prior_date,
            "student_number": student_number,
            "major": major,
            "graduation_year": graduation_year,
            "level": SkillLevel(level),
            "intended_eligible": eligible,
        }

    def worker(self, code: str, allowed: list[int], eligible: bool) -> dict:
        rng, today = self.rng, self.today
        level = self.choose_weighted(_WORKER_LEVEL_WEIGHTS, allowed) or allowed[0]
        if not eligible and level == 5:
            lower = [lv for lv in allowed if lv < 5]
            if lower:
                level = max(lower)  # an ineligible 五级 application cannot be built (age ≥ 18)
            else:
                eligible = True
        low, high = _AGE_RANGE[level]
        age = rng.randint(low, high)
        max_years = age - 16
        education = rng.choices(EDUCATIONS, weights=_WORKER_EDUCATION_WEIGHTS, k=1)[0]
        major: str | None = None
        graduation_year: int | None = None
        prior_level: int | None = None
        prior_date: date | None = None

        def diploma(kind: str) -> None:
            nonlocal education, major, graduation_year
            education = kind
            major = self.major(code)
            graduation_year = min(today.year - age + _GRADUATION_AGE[kind], today.year - 1)

        def prior(prior_lv: int, min_years: int, max_years_ago: int) -> int:
            nonlocal prior_level, prior_date
            years_ago = min(max_years_ago, max(min_years, max_years - 1))
            prior_level = prior_lv
            prior_date = self.certificate_date(min_years, max(min_years, years_ago))
            return years_between(prior_date, today)

        if level == 5:
            years = rng.randint(0, min(max_years, 4))
        elif level == 4:
            route = rng.randrange(3) if eligible else -1
            if route == 0:
                years = rng.randint(YEARS_FOR_LEVEL_4, min(max_years, 25))
            elif route == 1:
                since = prior(5, YEARS_AFTER_5_FOR_4, 8)
                years = min(max_years, since + rng.randint(0, 2))
            elif route == 2:
                diploma(rng.choice(sorted(DIPLOMA_FOR_LEVEL_4 - {"研究生"})))
                years = rng.randint(0, min(max_years, 4))
            else:  # too few years, no 五级, no diploma
                education, years = "初中", rng.randint(1, YEARS_FOR_LEVEL_4 - 1)
        elif level == 3:
            route = rng.randrange(3) if eligible else -1
            if route == 0:
                years = rng.randint(YEARS_FOR_LEVEL_3, min(max_years, 30))
            elif route == 1:
                since = prior(4, YEARS_AFTER_4_FOR_3, 10)
                years = min(max_years, since + rng.randint(1, 4))
            elif route == 2:
                diploma(rng.choice(("大专/高职", "大专/高职", "本科")))
                since = prior(4, 1, 6)
                years = min(max_years, since + rng.randint(0, 3))
            else:  # 四级 too recent, too few years, no 高职 diploma
                education = rng.choice(("初中", "高中/中专"))
                since = prior(4, 1, YEARS_AFTER_4_FOR_3 - 1)
                years = min(max_years, rng.randint(since + 1, YEARS_FOR_LEVEL_3 - 1))
        elif level == 2:
            gap = (YEARS_AFTER_3_FOR_2, 12) if eligible else (1, YEARS_AFTER_3_FOR_2 - 1)
            since = prior(3, *gap)
            years = min(max_years, since + rng.randint(4, 10))
        else:
            gap = (YEARS_AFTER_2_FOR_1, 10) if eligible else (1, YEARS_AFTER_2_FOR_1 - 1)
            since = prior(2, *gap)
            years = min(max_years, since + rng.randint(9, 16))
        return {
            "birth_date": self.birth_date(age),
            "education": education,
            "employer": None,
            "years_in_occupation": years,
            "prior_level": SkillLevel(prior_level) if prior_level else None,
            "prior_certificate_date": prior_date,
            "student_number": None,
            "major": major,
            "graduation_year": graduation_year,
            "level": SkillLevel(level),
            "intended_eligible": eligible,
        }


def make_people(
    n: int,
    seed: int,
    occupations: Sequence[tuple[str, Sequence[int]]],
    today: date,
) -> list[DemoPerson]:
    """``n`` demo people applying for the given (occupation code, levels) pairs, determined by ``seed``."""
    if n < 0:
        raise ValueError("n must not be negative")
    if not occupations:
        raise ValueError("at least one occupation is needed")
    table = [(code, tuple(int(lv) for lv in levels)) for code, levels in occupations if levels]
    if not table:
        raise ValueError("every occupation given has no level")
    builder = _Builder(seed, today)
    rng = builder.rng
    return [builder.person(*rng.choice(table)) for _ in range(n)]
