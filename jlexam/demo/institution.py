"""A fictional Jilin vocational college as the demo institution (评价机构).

Every field an institution's record needs: the filed name, a valid unified social credit code, the kind,
address, legal representative and contact, the filing (number, date, valid until: 3 years, 001 §7), the
fixed parts of its certificate numbers (RULES.md "Certificates"), its scope from the bundled catalogue,
and one exam site with every kind of room a sitting needs (002 §18-19). The college, its people and its
numbers are invented; the format of the filing number is a plausible invention too.
"""

from __future__ import annotations

from datetime import date, timedelta

from jlexam.domain.credit_code import build_credit_code
from jlexam.domain.levels import SkillLevel
from jlexam.exchange.catalogue import load_occupations

FILED_NAME = "吉林松辽职业技术学院"
FILING_DATE = date(2025, 4, 10)
FILING_YEARS = 3  # 001 §7(五)

# (occupation code, work type or None, levels) the demo filing approves; a vocational college certifies
# its students and the public mostly at 五级 to 三级.
_SCOPE: tuple[tuple[str, str | None, tuple[int, ...]], ...] = (
    ("6-31-01-03", None, (5, 4, 3)),  # 电工
    ("6-18-02-04", None, (5, 4, 3)),  # 焊工
    ("6-31-01-02", None, (4, 3)),  # 机修钳工
    ("4-12-01-01", None, (5, 4, 3)),  # 汽车维修工
    ("4-03-02-01", None, (5, 4, 3)),  # 中式烹调师
    ("4-03-02-02", None, (5, 4, 3)),  # 中式面点师
    ("4-03-02-04", None, (5, 4, 3)),  # 西式面点师
    ("4-03-02-07", None, (5, 4, 3)),  # 茶艺师
    ("4-10-01-03", None, (5, 4, 3)),  # 保育师
    ("4-10-01-06", "母婴护理员", (5, 4, 3)),  # 家政服务员
    ("4-01-06-02", "直播销售员", (5, 4, 3)),  # 互联网营销师
    ("4-04-05-05", "数据标注员", (5, 4, 3)),  # 人工智能训练师
    ("4-04-05-01", None, (4, 3)),  # 计算机程序设计员
    ("5-05-01-01", None, (5, 4, 3)),  # 农业技术员
)

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code(first8: str) -> str:
    """The 9-character organisation code (GB 11714-1997): 8 characters and their check character."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return first8 + {10: "X", 11: "0"}.get(check, str(check))


def _room(name: str, kind: str, rows: int, columns: int, capacity: int | None = None) -> dict:
    return {
        "name": name,
        "kind": kind,
        "capacity": capacity if capacity is not None else rows * columns,
        "rows": rows,
        "columns": columns,
        "video_surveillance": True,  # 002 §18: a room without surveillance cannot be used
    }


def demo_institution() -> dict:
    """The demo institution's record as plain data (dates as ``datetime.date``)."""
    by_code = {o.code: o for o in load_occupations()}
    scope = []
    for code, work_type, levels in _SCOPE:
        occupation = by_code[code]
        if work_type is not None and work_type not in occupation.work_types:
            raise ValueError(f"{work_type} is not a work type of {occupation.name} in the catalogue")
        approved = tuple(SkillLevel(lv) for lv in levels if occupation.has_level(lv))
        scope.append((code, work_type, approved))

    # Registration authority 1 (机构编制), category 2 (事业单位), region 220106 (长春市绿园区).
    credit_code = build_credit_code("12" + "220106" + organization_code("41340257"))
    valid_until = FILING_DATE.replace(year=FILING_DATE.year + FILING_YEARS) - timedelta(days=1)
    return {
        "filed_name": FILED_NAME,
        "unified_social_credit_code": credit_code,
        "kind": "vocational_school",
        "address": "吉林省长春市绿园区青年路5288号",
        "postal_code": "130062",
        "legal_representative": "高振东",
        "contact": {
            "name": "于晓楠",
            "title": "职业技能等级认定办公室主任",
            "phone": "0431-87654321",
            "mobile": "13904317765",
            "email": "jdzx@jlsl-demo.edu.cn",
        },
        "filing_number": "吉人社职评备〔2025〕0142号",
        "filing_date": FILING_DATE,
        "filing_valid_until": valid_until,
        "certificate_number_parts": {
            "category": "Y",  # employers and schools
            "institution_code": "0000",  # filed with the province
            "province": "22",  # Jilin
            "site_serial": "000187",  # assigned by the province
        },
        "scope": scope,
        "sites": [
            {
                "name": "吉林松辽职业技术学院主校区考点",
                "address": "吉林省长春市绿园区青年路5288号",
                "rooms": [
                    _room("实训楼A201 理论考场", "theory", 6, 5),
                    _room("实训楼A202 理论考场", "theory", 6, 5),
                    _room("实训楼A203 机房考场", "theory", 8, 6),
                    _room("电工实训室B101", "practical", 4, 5),
                    _room("焊接实训车间B105", "practical", 3, 6),
                    _room("汽车实训中心C101", "practical", 2, 6),
                    _room("烹饪实训室D201", "practical", 4, 4),
                    _room("综合评审室A305", "review", 1, 8),
                    _room("考务办公室A101", "exam_office", 2, 4),
                    _room("候考室A102", "waiting", 8, 8),
                    _room("评分室A103", "marking", 2, 6),
                ],
            }
        ],
    }
