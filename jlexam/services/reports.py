"""Oversight reports for the institution, and the termination report (issue 9).

Every number is computed here by queries on the database; ``jlexam.documents.reports`` only lays them out.

- Oversight: sittings, candidates, pass rates by occupation and level, incidents, custody anomalies, upload
  timeliness (002 §28); the date of the last sitting (000 第五条(二): no sitting for over a year, no rating);
  filing validity and the renewal date (001 第九条); what a star-rating application needs (000 第四-七条);
  for universities, coverage by major and graduating cohort (003).
- Termination (001 第十二-十三条): the certificates issued (and which are not yet uploaded), the fees collected
  for sittings that will not be held (to refund), and the archives still to be kept.

The oversight report holds no personal data. The termination report lists certificate holders (masked ID
numbers), so it has its own permission and every export of it is audited (002 §31).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.documents.reports import (
    ReportDocument,
    Section,
    percent,
    render_report_pdf,
    rows_of,
    write_report_xlsx,
)
from jlexam.domain.china_time import china_date
from jlexam.domain.filing import INSTITUTION_KINDS, filing_status
from jlexam.domain.levels import SkillLevel
from jlexam.domain.retention import add_years
from jlexam.domain.sitting_state import SittingState
from jlexam.errors import StateError
from jlexam.services.base import Actor, UnitOfWork, query, use_case, utcnow
from jlexam.store.models import (
    Application,
    Candidate,
    Certificate,
    ExamSession,
    Institution,
    MajorMapping,
    Occupation,
    PaperPacket,
    RoomEvent,
    Sitting,
    SittingArchive,
    UploadBatch,
    UploadBatchItem,
)

HELD_STATES = tuple(SittingState)[list(SittingState).index(SittingState.HELD) :]
NOT_HELD_STATES = tuple(s for s in SittingState if s not in HELD_STATES)
STAR_YEARS = 3  # 000 第六条
HIGHER_AFTER_YEARS = 2  # 000 第七条
IDLE_YEARS = 1  # 000 第五条(二)
MIN_FILED_YEARS = 1  # 000 第四条


# --- the numbers ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SittingLine:
    code: str
    name: str
    starts_on: date | None
    state: str  # Chinese
    applicants: int
    approved: int
    sat: int  # passed + failed
    passed: int
    absent: int
    certificates: int

    @property
    def pass_rate(self) -> str:
        return percent(self.passed, self.sat)


@dataclass(frozen=True)
class RateLine:
    occupation: str
    level: str
    sat: int
    passed: int
    absent: int

    @property
    def pass_rate(self) -> str:
        return percent(self.passed, self.sat)


@dataclass(frozen=True)
class IncidentLine:
    sitting_code: str
    absent: int
    misconduct: int
    incident: int


@dataclass(frozen=True)
class CustodyLine:
    sitting_code: str
    packets: int
    anomalous_packets: int
    anomalies: int
    broken_chains: int
    details: str


@dataclass(frozen=True)
class UploadLine:
    batch_id: str
    sittings: str
    count: int
    deadline: date
    provisional: bool
    uploaded_on: date | None
    status: str  # on_time, late, overdue, pending
    label: str  # Chinese


@dataclass(frozen=True)
class CoverageLine:
    major: str
    graduation_year: int | None
    graduating: bool
    applicants: int
    approved: int
    passed: int
    certified: int
    occupations: str  # the mapped occupations, "" when the major has none


@dataclass(frozen=True)
class StarFact:
    label: str
    value: str
    ok: bool | None  # None when it is information only


@dataclass
class OversightReport:
    institution: str
    credit_code: str
    kind: str
    today: date
    period_from: date | None
    period_to: date | None
    filing_valid_until: date | None
    renewal_due_on: date | None
    filing_message: str
    last_sitting_on: date | None
    last_sitting_message: str
    sittings: list[SittingLine] = field(default_factory=list)
    rates: list[RateLine] = field(default_factory=list)
    incidents: list[IncidentLine] = field(default_factory=list)
    custody: list[CustodyLine] = field(default_factory=list)
    uploads: list[UploadLine] = field(default_factory=list)
    unreported_certificates: int = 0
    star: list[StarFact] = field(default_factory=list)
    coverage: list[CoverageLine] | None = None  # universities only (003)
    unmapped_majors: list[str] = field(default_factory=list)
    filing_state: str = ""  # valid, renewal_due, expired, missing

    @property
    def candidates(self) -> int:
        return sum(s.applicants for s in self.sittings)

    @property
    def passed(self) -> int:
        return sum(s.passed for s in self.sittings)

    @property
    def sat(self) -> int:
        return sum(s.sat for s in self.sittings)

    @property
    def certificates(self) -> int:
        return sum(s.certificates for s in self.sittings)

    @property
    def uploads_on_time(self) -> int:
        return sum(1 for u in self.uploads if u.status == "on_time")


def _institution(s: Session) -> Institution:
    inst = s.scalar(select(Institution))
    if inst is None:
        raise StateError("尚未登记机构信息，无法生成报表：请先在机构页面登记备案信息。")
    return inst


def _sittings(s: Session, period_from: date | None, period_to: date | None) -> list[Sitting]:
    rows = s.scalars(select(Sitting).order_by(Sitting.starts_on, Sitting.code))
    return [
        x
        for x in rows
        if (period_from is None or (x.starts_on and x.starts_on >= period_from))
        and (period_to is None or (x.starts_on and x.starts_on <= period_to))
    ]


def last_sitting_on(s: Session) -> date | None:
    """The last day of the latest sitting that was held (000 第五条(二))."""
    days = [
        x.ends_on or x.starts_on
        for x in s.scalars(select(Sitting).where(Sitting.state.in_([st.value for st in HELD_STATES])))
        if x.ends_on or x.starts_on
    ]
    return max(days) if days else None


def _sitting_lines(s: Session, sittings: list[Sitting]) -> list[SittingLine]:
    lines = []
    for x in sittings:
        apps = list(s.scalars(select(Application).where(Application.sitting_id == x.id)))
        results = Counter(a.result for a in apps if a.decision == "approved")
        certs = s.scalars(
            select(Certificate.id)
            .join(Application, Certificate.application_id == Application.id)
            .where(Application.sitting_id == x.id, Certificate.kind == "original")
        ).all()
        lines.append(
            SittingLine(
                x.code,
                x.name,
                x.starts_on,
                SittingState(x.state).label,
                len(apps),
                sum(1 for a in apps if a.decision == "approved"),
                results["passed"] + results["failed"],
                results["passed"],
                results["absent"],
                len(certs),
            )
        )
    return lines


def _rates(s: Session, sittings: list[Sitting]) -> list[RateLine]:
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    counts: dict[tuple[str, str, int], Counter] = defaultdict(Counter)
    ids = [x.id for x in sittings]
    if ids:
        for a in s.scalars(
            select(Application).where(Application.sitting_id.in_(ids), Application.decision == "approved")
        ):
            counts[(a.occupation_code, a.work_type, a.level)][a.result or "pending"] += 1
    lines = []
    for (code, work_type, level), c in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1], -kv[0][2])):
        label = f"{names.get(code, code)}（{code}）" + (f" {work_type}" if work_type else "")
        lines.append(
            RateLine(label, SkillLevel(level).written, c["passed"] + c["failed"], c["passed"], c["absent"])
        )
    return lines


def _incidents(s: Session, sittings: list[Sitting]) -> list[IncidentLine]:
    lines = []
    for x in sittings:
        sessions = select(ExamSession.id).where(ExamSession.sitting_id == x.id)
        kinds = Counter(s.scalars(select(RoomEvent.kind).where(RoomEvent.session_id.in_(sessions))))
        lines.append(IncidentLine(x.code, kinds["absent"], kinds["misconduct"], kinds["incident"]))
    return lines


def _custody(s: Session, sittings: list[Sitting], now) -> list[CustodyLine]:  # type: ignore[no-untyped-def]
    # The custody service owns how a packet's events become anomalies; reuse its view of a packet.
    from jlexam.services.custody import _view, chain_name, verify_custody_chains

    broken = {r.chain for r in verify_custody_chains(s) if not r.intact}
    lines = []
    for x in sittings:
        packets = list(s.scalars(select(PaperPacket).where(PaperPacket.sitting_id == x.id)))
        views = [_view(s, p, now) for p in packets]
        found = Counter(a.message.split("：")[0][:30] for v in views for a in v.anomalies)
        lines.append(
            CustodyLine(
                x.code,
                len(packets),
                sum(1 for v in views if v.anomalies),
                sum(len(v.anomalies) for v in views),
                sum(1 for p in packets if chain_name(p.code) in broken),
                "；".join(f"{k}（{n}）" for k, n in found.most_common(5)),
            )
        )
    return lines


def _uploads(s: Session, sittings: list[Sitting], today: date) -> tuple[list[UploadLine], int]:
    ids = [x.id for x in sittings]
    codes = {x.id: x.code for x in sittings}
    if not ids:
        return [], 0
    cert_sitting = dict(
        s.execute(
            select(Certificate.id, Application.sitting_id)
            .join(Application, Certificate.application_id == Application.id)
            .where(Application.sitting_id.in_(ids))
        ).all()
    )
    by_batch: dict[int, set[str]] = defaultdict(set)
    for batch_id, cert_id in s.execute(select(UploadBatchItem.batch_id, UploadBatchItem.certificate_id)):
        if cert_id in cert_sitting:
            by_batch[batch_id].add(codes[cert_sitting[cert_id]])
    lines = []
    for b in s.scalars(
        select(UploadBatch).where(UploadBatch.id.in_(list(by_batch))).order_by(UploadBatch.deadline)
    ):
        if b.uploaded_on is not None:
            status = "on_time" if b.uploaded_on <= b.deadline else "late"
            label = (
                f"按期上报（{b.uploaded_on:%Y-%m-%d}）"
                if status == "on_time"
                else f"逾期上报（{b.uploaded_on:%Y-%m-%d}，晚 {(b.uploaded_on - b.deadline).days} 天）"
            )
        elif today > b.deadline:
            status, label = "overdue", f"已逾期未上报（截止 {b.deadline:%Y-%m-%d}）"
        else:
            status, label = "pending", "待上报"
        lines.append(
            UploadLine(
                b.batch_id,
                "、".join(sorted(by_batch[b.id])),
                b.count,
                b.deadline,
                b.deadline_provisional,
                b.uploaded_on,
                status,
                label + ("（截止日期暂定）" if b.deadline_provisional else ""),
            )
        )
    in_batches = set(s.scalars(select(UploadBatchItem.certificate_id)))
    valid = s.scalars(select(Certificate.id).where(Certificate.status == "valid")).all()
    unreported = sum(1 for c in valid if c in cert_sitting and c not in in_batches)
    return lines, unreported


def _coverage(s: Session, sittings: list[Sitting]) -> tuple[list[CoverageLine], list[str]]:
    """Students by major and graduation year (003 三(二): graduating-year students first)."""
    mapped: dict[str, list[str]] = defaultdict(list)
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    for m in s.scalars(select(MajorMapping).order_by(MajorMapping.major, MajorMapping.occupation_code)):
        mapped[m.major].append(names.get(m.occupation_code, m.occupation_code))
    groups: dict[tuple[str, int | None], Counter] = defaultdict(Counter)
    graduating: dict[tuple[str, int | None], bool] = {}
    certified = set(
        s.scalars(select(Certificate.application_id).where(Certificate.status.in_(["valid", "replaced"])))
    )
    for x in sittings:
        year = (x.starts_on or date.min).year
        rows = s.execute(
            select(Application, Candidate)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Application.sitting_id == x.id)
        )
        for a, c in rows:
            key = ((c.major or "").strip() or "（未填专业）", c.graduation_year)
            g = groups[key]
            g["applicants"] += 1
            g["approved"] += a.decision == "approved"
            g["passed"] += a.result == "passed"
            g["certified"] += a.id in certified
            # A student graduating in the year of the sitting, or the next spring, is in the graduating cohort.
            graduating[key] = graduating.get(key, False) or (
                c.graduation_year is not None
                and c.graduation_year in (year, year + 1)
                and x.starts_on is not None
            )
    lines = [
        CoverageLine(
            major,
            gy,
            graduating[(major, gy)],
            g["applicants"],
            g["approved"],
            g["passed"],
            g["certified"],
            "、".join(mapped.get(major, [])),
        )
        for (major, gy), g in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]
    seen = {line.major for line in lines}
    unmapped = sorted(m for m in seen if m not in mapped and m != "（未填专业）")
    return lines, unmapped


def _star_facts(inst: Institution, report: OversightReport, today: date) -> list[StarFact]:
    facts = []
    if inst.filed_on:
        year_on = add_years(inst.filed_on, MIN_FILED_YEARS)
        facts.append(
            StarFact(
                "备案并开展认定满 1 年（000 第四条）",
                f"备案日期 {inst.filed_on:%Y-%m-%d}，{'已满' if today >= year_on else '将于 ' + f'{year_on:%Y-%m-%d} 满'} 1 年",
                today >= year_on,
            )
        )
    else:
        facts.append(StarFact("备案并开展认定满 1 年（000 第四条）", "未登记备案日期", False))
    facts.append(
        StarFact(
            "1 年内开展过认定（000 第五条(二)）",
            report.last_sitting_message,
            report.last_sitting_on is not None and today <= add_years(report.last_sitting_on, IDLE_YEARS),
        )
    )
    status = filing_status(inst.filing_valid_until, today)
    facts.append(
        StarFact(
            "备案有效（000 第十二条(五)：期满未续期取消星级）", status.message, status.allows_certification
        )
    )
    if inst.star_rating:
        until = inst.star_rating_valid_until
        if until:
            rated_on = add_years(until, -STAR_YEARS)
            higher = add_years(rated_on, HIGHER_AFTER_YEARS)
            facts.append(
                StarFact(
                    "现有星级（000 第六、七条）",
                    f"{'★' * inst.star_rating}，有效期至 {until:%Y-%m-%d}；"
                    + (f"自 {higher:%Y-%m-%d} 起可申报更高星级" if inst.star_rating < 3 else "已为最高星级"),
                    None,
                )
            )
        else:
            facts.append(
                StarFact("现有星级（000 第六条）", f"{'★' * inst.star_rating}（未登记有效期）", None)
            )
    else:
        facts.append(StarFact("现有星级", "尚未评定（首次申报从一星级开始）", None))
    on_time = report.uploads_on_time
    facts += [
        StarFact("统计期内认定批次", str(len(report.sittings)), None),
        StarFact(
            "报名人数 / 合格人数 / 合格率",
            f"{report.candidates} / {report.passed} / {percent(report.passed, report.sat)}",
            None,
        ),
        StarFact("发放证书", str(report.certificates), None),
        StarFact(
            "违纪 / 突发事件",
            f"{sum(i.misconduct for i in report.incidents)} / {sum(i.incident for i in report.incidents)}",
            None,
        ),
        StarFact(
            "试卷流转异常",
            f"{sum(c.anomalies for c in report.custody)} 处（流转链断裂 {sum(c.broken_chains for c in report.custody)} 个）",
            sum(c.broken_chains for c in report.custody) == 0,
        ),
        StarFact(
            "数据按期上报（002 第二十八条）",
            f"{on_time} / {len(report.uploads)} 个批次按期上报"
            + (
                f"，另有 {report.unreported_certificates} 本证书未生成上报批次"
                if report.unreported_certificates
                else ""
            ),
            all(u.status in ("on_time", "pending") for u in report.uploads),
        ),
    ]
    return facts


def build_oversight(
    s: Session, today: date, period_from: date | None = None, period_to: date | None = None
) -> OversightReport:
    inst = _institution(s)
    status = filing_status(inst.filing_valid_until, today)
    last = last_sitting_on(s)
    if last is None:
        last_message = "尚未开展过认定（000 第五条(二)：超过 1 年未开展认定工作的不予评定）"
    else:
        idle_until = add_years(last, IDLE_YEARS)
        last_message = f"最近一次认定于 {last:%Y-%m-%d}；" + (
            f"{idle_until:%Y-%m-%d} 前须再开展认定，否则不能申请星级评定（000 第五条(二)）"
            if today <= idle_until
            else f"已超过 1 年未开展认定（自 {idle_until:%Y-%m-%d} 起），不能申请星级评定（000 第五条(二)）"
        )
    sittings = _sittings(s, period_from, period_to)
    report = OversightReport(
        institution=inst.name,
        credit_code=inst.credit_code,
        kind=INSTITUTION_KINDS.get(inst.kind, inst.kind),
        today=today,
        period_from=period_from,
        period_to=period_to,
        filing_valid_until=inst.filing_valid_until,
        renewal_due_on=status.renewal_due_on,
        filing_message=status.message,
        last_sitting_on=last,
        last_sitting_message=last_message,
        filing_state=status.state.value,
    )
    report.sittings = _sitting_lines(s, sittings)
    report.rates = _rates(s, sittings)
    report.incidents = _incidents(s, sittings)
    report.custody = _custody(s, sittings, utcnow())
    report.uploads, report.unreported_certificates = _uploads(s, sittings, today)
    if inst.kind == "university":
        report.coverage, report.unmapped_majors = _coverage(s, sittings)
    report.star = _star_facts(inst, report, today)
    return report


def _today() -> date:
    return china_date(utcnow())


@query("reports.view")
def oversight(
    s: Session,
    actor: Actor,
    today: date | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> OversightReport:
    return build_oversight(s, today or _today(), period_from, period_to)


def _d(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "--"


def oversight_document(r: OversightReport) -> ReportDocument:
    period = f"{_d(r.period_from)} 至 {_d(r.period_to)}" if r.period_from or r.period_to else "全部认定批次"
    sections = [
        Section(
            "一、机构与备案",
            (
                f"机构：{r.institution}（{r.kind}），统一社会信用代码 {r.credit_code}。",
                f"备案有效期至 {_d(r.filing_valid_until)}，续期申请日 {_d(r.renewal_due_on)}（001 第九条：期满前 3 个月）。"
                + ("" if r.filing_state == "valid" else r.filing_message),
                r.last_sitting_message + "。",
                f"统计范围：{period}；认定批次 {len(r.sittings)} 个，报名 {r.candidates} 人，实考 {r.sat} 人，合格 {r.passed} 人，"
                f"合格率 {percent(r.passed, r.sat)}，发证 {r.certificates} 本。",
            ),
        ),
        Section(
            "二、认定批次",
            ("实考 = 合格 + 不合格（不含缺考）；合格率 = 合格 ÷ 实考。",),
            (
                "批次编号",
                "名称",
                "开考日期",
                "状态",
                "报名",
                "审核通过",
                "实考",
                "合格",
                "缺考",
                "合格率",
                "发证",
            ),
            rows_of(
                (
                    x.code,
                    x.name,
                    _d(x.starts_on),
                    x.state,
                    x.applicants,
                    x.approved,
                    x.sat,
                    x.passed,
                    x.absent,
                    x.pass_rate,
                    x.certificates,
                )
                for x in r.sittings
            ),
            (1.4, 2.6, 1.2, 1, 0.8, 0.9, 0.8, 0.8, 0.8, 0.9, 0.8),
        ),
        Section(
            "三、分职业、等级合格率",
            (),
            ("职业（工种）", "等级", "实考", "合格", "缺考", "合格率"),
            rows_of((x.occupation, x.level, x.sat, x.passed, x.absent, x.pass_rate) for x in r.rates),
            (3.5, 1.5, 1, 1, 1, 1),
        ),
        Section(
            "四、考场记录（缺考、违纪、突发事件）",
            (),
            ("批次编号", "缺考（人次，按场次计）", "违纪（起）", "突发事件（起）"),
            rows_of((x.sitting_code, x.absent, x.misconduct, x.incident) for x in r.incidents),
        ),
        Section(
            "五、试卷流转异常（002 第二十二、三十二条）",
            (),
            ("批次编号", "试卷袋", "有异常的试卷袋", "异常数", "流转链断裂", "主要异常"),
            rows_of(
                (
                    x.sitting_code,
                    x.packets,
                    x.anomalous_packets,
                    x.anomalies,
                    x.broken_chains,
                    x.details or "--",
                )
                for x in r.custody
            ),
            (1.2, 0.8, 1.1, 0.8, 0.9, 4),
        ),
        Section(
            "六、数据上报及时性（002 第二十八条：发证后 30 个工作日内）",
            (
                f"按期上报 {r.uploads_on_time} / {len(r.uploads)} 个批次"
                + (
                    f"；另有 {r.unreported_certificates} 本有效证书尚未生成上报批次。"
                    if r.unreported_certificates
                    else "。"
                ),
            ),
            ("上报批次", "认定批次", "证书数", "上报截止", "上报日期", "情况"),
            rows_of(
                (x.batch_id, x.sittings, x.count, _d(x.deadline), _d(x.uploaded_on), x.label)
                for x in r.uploads
            ),
            (3.2, 1.2, 0.7, 1, 1, 2.2),
        ),
        Section(
            "七、星级评定申报材料（000）",
            ("“符合”一栏为空的为统计信息。",),
            ("项目", "情况", "符合"),
            rows_of((f.label, f.value, "" if f.ok is None else ("是" if f.ok else "否")) for f in r.star),
            (2.2, 5, 0.6),
        ),
    ]
    if r.coverage is not None:
        sections.append(
            Section(
                "八、高校专业与毕业年度覆盖（003）",
                (
                    "以毕业年度毕业生为主要认定对象（003 三(二)），学生可报高级工及以下（003 三(三)）。",
                    "尚无对应职业的专业："
                    + ("、".join(r.unmapped_majors) if r.unmapped_majors else "无")
                    + "。",
                ),
                ("专业", "毕业年份", "毕业年度", "报名", "审核通过", "合格", "发证", "对应职业"),
                rows_of(
                    (
                        x.major,
                        x.graduation_year or "--",
                        "是" if x.graduating else "否",
                        x.applicants,
                        x.approved,
                        x.passed,
                        x.certified,
                        x.occupations or "（无）",
                    )
                    for x in r.coverage
                ),
                (2, 1, 0.9, 0.8, 0.9, 0.8, 0.8, 2.4),
            )
        )
    return ReportDocument(
        title="职业技能等级认定工作统计报表",
        subtitle=f"{r.institution}　统计范围：{period}　制表日期：{r.today:%Y-%m-%d}",
        institution=r.institution,
        generated_on=r.today,
        sections=tuple(sections),
        footer="认定工作统计报表",
    )


@use_case("reports.view")
def write_oversight(
    uow: UnitOfWork,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> OversightReport:
    report = build_oversight(uow.session, china_date(uow.now), period_from, period_to)
    doc = oversight_document(report)
    written = []
    if pdf is not None:
        render_report_pdf(doc, Path(pdf))
        written.append(Path(pdf).name)
    if xlsx is not None:
        write_report_xlsx(doc, Path(xlsx))
        written.append(Path(xlsx).name)
    uow.audit("report.oversight", "institution", "", f"导出认定工作统计报表 {'、'.join(written)}")
    return report


# --- termination (001 §12-13) -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CertificateLine:
    number: str
    name: str
    id_number_masked: str
    occupation: str
    level: str
    issue_date: date
    status: str  # Chinese
    upload: str  # Chinese: uploaded with receipt / in a batch not uploaded / not in a batch


@dataclass(frozen=True)
class RefundLine:
    sitting_code: str
    sitting_state: str
    application_id: int
    name: str
    fee_cents: int


@dataclass(frozen=True)
class ArchiveLine:
    sitting_code: str
    archived_on: date
    paper_until: date
    electronic_until: date
    paper_location: str


@dataclass
class TerminationReport:
    institution: str
    credit_code: str
    today: date
    certificates: list[CertificateLine]
    refunds: list[RefundLine]
    archives: list[ArchiveLine]
    unarchived_sittings: list[str]

    @property
    def valid_certificates(self) -> int:
        return sum(1 for c in self.certificates if c.status == "有效")

    @property
    def not_uploaded(self) -> int:
        return sum(1 for c in self.certificates if c.status == "有效" and not c.upload.startswith("已上报"))

    @property
    def refund_cents(self) -> int:
        return sum(r.fee_cents for r in self.refunds)


CERT_STATUS = {"valid": "有效", "replaced": "已换发", "voided": "已作废"}


def build_termination(s: Session, today: date) -> TerminationReport:
    from jlexam.domain.retention import Medium, retain_until

    inst = _institution(s)
    names = {o.code: o.name for o in s.scalars(select(Occupation))}
    batch_of: dict[int, UploadBatch] = {}
    for item, batch in s.execute(
        select(UploadBatchItem, UploadBatch).join(UploadBatch, UploadBatch.id == UploadBatchItem.batch_id)
    ):
        prev = batch_of.get(item.certificate_id)
        if prev is None or (batch.uploaded_on and not prev.uploaded_on):
            batch_of[item.certificate_id] = batch
    certs = []
    for c in s.scalars(select(Certificate).order_by(Certificate.issue_date, Certificate.number)):
        b = batch_of.get(c.id)
        if b is None:
            upload = "未生成上报批次"
        elif b.uploaded_on:
            upload = f"已上报（回执 {b.receipt_number}）"
        else:
            upload = f"已生成批次未上报（截止 {b.deadline:%Y-%m-%d}）"
        certs.append(
            CertificateLine(
                c.number,
                c.name,
                c.id_number_masked,
                names.get(c.occupation_code, c.occupation_code),
                SkillLevel(c.level).written,
                c.issue_date,
                CERT_STATUS.get(c.status, c.status),
                upload,
            )
        )
    refunds = []
    for sitting in s.scalars(
        select(Sitting).where(Sitting.state.in_([st.value for st in NOT_HELD_STATES])).order_by(Sitting.code)
    ):
        for a, cand in s.execute(
            select(Application, Candidate)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(
                Application.sitting_id == sitting.id,
                Application.fee_cents > 0,
                Application.fee_waived.is_(False),
            )
            .order_by(Application.id)
        ):
            refunds.append(
                RefundLine(sitting.code, SittingState(sitting.state).label, a.id, cand.name, a.fee_cents)
            )
    archives = [
        ArchiveLine(
            sitting.code,
            arch.archived_on,
            retain_until(arch.archived_on, Medium.PAPER, arch.paper_years),
            retain_until(arch.archived_on, Medium.ELECTRONIC, arch.electronic_years),
            arch.paper_location,
        )
        for sitting, arch in s.execute(
            select(Sitting, SittingArchive).join(SittingArchive, SittingArchive.sitting_id == Sitting.id)
        )
    ]
    archived = {a.sitting_code for a in archives}
    unarchived = [
        x.code
        for x in s.scalars(select(Sitting).where(Sitting.state.in_([st.value for st in HELD_STATES])))
        if x.code not in archived
    ]
    return TerminationReport(inst.name, inst.credit_code, today, certs, refunds, archives, sorted(unarchived))


@query("reports.termination")
def termination(s: Session, actor: Actor, today: date | None = None) -> TerminationReport:
    return build_termination(s, today or _today())


def termination_document(r: TerminationReport) -> ReportDocument:
    sections = [
        Section(
            "一、终止备案前的收尾工作（001 第十二、十三条）",
            (
                f"已发证书 {len(r.certificates)} 本，其中有效 {r.valid_certificates} 本；有效证书中尚未上报 {r.not_uploaded} 本，"
                "经审核合格的应按规定上传技能人才评价工作网（001 第十三条）。",
                f"已收取但未能提供评价服务的费用 {len(r.refunds)} 笔，合计 {r.refund_cents / 100:.2f} 元，应退尽退并做好解释工作（001 第十三条）。",
                "终止备案后，机构继续承担已发证书数据的复核、更正、撤销和认定资料档案保管等职责（001 第十二条）。",
                "尚未归档的已考批次："
                + ("、".join(r.unarchived_sittings) if r.unarchived_sittings else "无")
                + "。",
            ),
        ),
        Section(
            "二、已发证书",
            (),
            ("证书编号", "姓名", "证件号码", "职业", "等级", "发证日期", "状态", "上报情况"),
            rows_of(
                (
                    c.number,
                    c.name,
                    c.id_number_masked,
                    c.occupation,
                    c.level,
                    _d(c.issue_date),
                    c.status,
                    c.upload,
                )
                for c in r.certificates
            ),
            (2.0, 0.8, 1.65, 1.4, 1.15, 0.95, 0.55, 2.9),
        ),
        Section(
            "三、应退费用（未开考批次）",
            (),
            ("认定批次", "批次状态", "报名号", "姓名", "金额（元）"),
            rows_of(
                (x.sitting_code, x.sitting_state, x.application_id, x.name, f"{x.fee_cents / 100:.2f}")
                for x in r.refunds
            ),
        ),
        Section(
            "四、档案保管（002 第三十六条）",
            (),
            ("认定批次", "归档日期", "纸质保管至", "电子保管至", "纸质原件存放位置"),
            rows_of(
                (
                    x.sitting_code,
                    _d(x.archived_on),
                    _d(x.paper_until),
                    _d(x.electronic_until),
                    x.paper_location,
                )
                for x in r.archives
            ),
        ),
    ]
    return ReportDocument(
        title="终止备案收尾工作报告",
        subtitle=f"{r.institution}（统一社会信用代码 {r.credit_code}）　制表日期：{r.today:%Y-%m-%d}",
        institution=r.institution,
        generated_on=r.today,
        sections=tuple(sections),
        footer="终止备案收尾工作报告",
        confidential=True,
    )


@use_case("reports.termination")
def write_termination(
    uow: UnitOfWork, pdf: Path | None = None, xlsx: Path | None = None
) -> TerminationReport:
    """The termination report (certificate holders with masked ID numbers): a personal-data export, audited."""
    report = build_termination(uow.session, china_date(uow.now))
    doc = termination_document(report)
    written = []
    if pdf is not None:
        render_report_pdf(doc, Path(pdf))
        written.append(Path(pdf).name)
    if xlsx is not None:
        write_report_xlsx(doc, Path(xlsx))
        written.append(Path(xlsx).name)
    uow.audit(
        "report.termination",
        "institution",
        "",
        f"导出终止备案收尾工作报告 {'、'.join(written)}（含 {len(report.certificates)} 名持证人个人信息，证件号码已脱敏）",
    )
    return report
