"""The announcement (认定公告, 002 §15): time, occupations and levels, conditions, fees, how to apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from jlexam.documents.base import build_pdf, grid, para, styles


@dataclass(frozen=True)
class OfferLine:
    occupation: str  # "电工（6-31-01-03）"
    work_type: str  # "--" when none
    level: str  # "三级/高级工"
    fee: str  # "300.00 元" or "免费"
    conditions: tuple[str, ...]  # each route of the standard's eligibility conditions


@dataclass(frozen=True)
class SessionLine:
    part: str
    applies_to: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class AnnouncementData:
    institution: str
    sitting_code: str
    sitting_name: str
    opens_on: date
    closes_on: date
    offers: tuple[OfferLine, ...]
    sessions: tuple[SessionLine, ...]
    site: str
    contact: str
    notes: str
    published_on: date
    university: bool


def _condition_groups(offers: tuple[OfferLine, ...]) -> list[tuple[tuple[str, tuple[str, ...]], list[str]]]:
    """Offers sharing a level and the same conditions are listed once (most occupations use the defaults)."""
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for offer in offers:
        if offer.conditions:
            name = offer.occupation.split("（")[0]
            names = groups.setdefault((offer.level, offer.conditions), [])
            if name not in names:
                names.append(name)
    return sorted(groups.items(), key=lambda g: (-LEVEL_ORDER.get(g[0][0], 0), g[1]))


LEVEL_ORDER = {"五级/初级工": 5, "四级/中级工": 4, "三级/高级工": 3, "二级/技师": 2, "一级/高级技师": 1}


def _d(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def render_announcement(data: AnnouncementData, path: Path) -> None:
    st = styles()
    story = [
        para(f"{data.institution}", st["subtitle"]),
        para(f"{data.sitting_name}公告", st["title"]),
        para(
            f"根据《吉林省职业技能等级认定工作规程》（吉人社规〔2024〕5号）等规定，{data.institution}定于"
            f"{_d(data.sessions[0].starts_at.date()) if data.sessions else '近期'}开展职业技能等级认定"
            f"（批次编号 {data.sitting_code}），现将有关事项公告如下。",
            st["body"],
        ),
        para("一、认定职业（工种）、等级及收费标准", st["heading"]),
        grid(
            [["职业（编码）", "工种", "等级", "收费标准"]]
            + [[o.occupation, o.work_type, o.level, o.fee] for o in data.offers],
            [62 * mm, 30 * mm, 34 * mm, 34 * mm],
            st,
        ),
        para(
            "收费标准按规定公示，不以营利为目的"
            + ("；本校在校生按成本价或免费（高等学校职业技能等级认定有关规定）" if data.university else "")
            + "。",
            st["plain"],
        ),
        para("二、申报条件", st["heading"]),
    ]
    for (level, conditions), occupations in _condition_groups(data.offers):
        story.append(
            para(f"{level}（{'、'.join(occupations)}）：具备下列条件之一者，可申报。", st["condition"])
        )
        story += [para(f"（{i}）{c}", st["plain"]) for i, c in enumerate(conditions, 1)]
    story += [
        para("三、报名时间和方式", st["heading"]),
        para(
            f"报名时间：{_d(data.opens_on)}至{_d(data.closes_on)}。报名时须提交有效身份证件、学历证书、"
            "职业资格或技能等级证书、工作年限证明等申报材料，经资格审核通过后方可参加认定。",
            st["body"],
        ),
        para("四、考试（考核）时间", st["heading"]),
        grid(
            [["科目", "适用职业等级", "开始时间", "结束时间"]]
            + [
                [s.part, s.applies_to, f"{s.starts_at:%Y-%m-%d %H:%M}", f"{s.ends_at:%H:%M}"]
                for s in data.sessions
            ],
            [36 * mm, 60 * mm, 36 * mm, 28 * mm],
            st,
        ),
        para("五、认定地点和联系方式", st["heading"]),
        para(f"认定地点：{data.site}", st["plain"]),
        para(f"联系方式：{data.contact}", st["plain"]),
    ]
    if data.notes:
        story += [para("六、其他事项", st["heading"]), para(data.notes, st["body"])]
    story += [
        Spacer(1, 12 * mm),
        para(data.institution, st["signature"]),
        para(_d(data.published_on), st["signature"]),
    ]
    build_pdf(
        path,
        story,
        title=f"{data.sitting_name}公告",
        author=data.institution,
        footer=f"{data.sitting_code} 认定公告",
    )
