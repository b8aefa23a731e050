"""``jlexam demo``: a fresh demo database in a folder, and one sitting run through every stage built so far.

Each stage of the sitting's life adds its step here, so the demo always shows the whole application at work.
The demo keeps its keys in an encrypted file keyring inside the folder, protected by a published demo
passphrase: fine for a demonstration, never for real data.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from jlexam.demo import archive_stage, arrangement_stage
from jlexam.demo.institution import demo_institution
from jlexam.demo.people import make_people
from jlexam.demo.photos import make_photo
from jlexam.domain.china_time import CHINA_TZ
from jlexam.domain.levels import SkillLevel
from jlexam.errors import JlexamError
from jlexam.exchange.batch import verify_batch
from jlexam.exchange.catalogue import load_occupations
from jlexam.exchange.roster import write_template
from jlexam.fileio import write_atomic
from jlexam.security.keystore import KeyStore, configure_keyring
from jlexam.security.roles import Role
from jlexam.services import (
    announcement,
    calendar,
    candidates,
    certificates,
    custody,
    eligibility,
    institution,
    keys,
    publicity,
    registration,
    scoring,
    sittings,
    standards,
    stock,
    uploads,
    users,
)
from jlexam.services.audit import verify_chains
from jlexam.services.auth import login
from jlexam.services.base import Actor, forget_keystores, set_simulated_time
from jlexam.store.database import Database

DB_NAME = "jlexam-demo.sqlite"
KEYRING_NAME = "keyring.cfg"
DEMO_PASSWORD = "Demo2026!"  # published in the demo's README.txt; demo only
DEMO_KEYRING_PASSPHRASE = "jlexam-demo-keyring"
DEMO_USERS = {  # username -> (display name, roles)
    "kaowu": ("王考务", frozenset({Role.EXAM_OFFICE})),
    "kaowu2": ("钱考务", frozenset({Role.EXAM_OFFICE})),  # the second clerk of double entry
    "zhukao": ("李主考", frozenset({Role.SUPERVISOR})),
    "shujuyuan": ("赵数据", frozenset({Role.DATA_CLERK})),
}


@dataclass
class DemoResult:
    out: Path
    database: Path
    candidates: int
    sitting_code: str
    files: list[Path] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


# Every file a demo run writes into its folder (and so removes before a fresh run).
OWN_FILES = (
    *archive_stage.OWN_FILES,
    "tickets.pdf",
    "door-list.pdf",
    "seat-chart.pdf",
    "sign-in.pdf",
    "room-record.pdf",
    "room-records-filled.pdf",
    DB_NAME,
    DB_NAME + "-wal",
    DB_NAME + "-shm",
    KEYRING_NAME,
    "public_key.pem",
    "README.txt",
    "demo-summary.json",
    "announcement.pdf",
    "packet-labels.pdf",
    "custody-log.pdf",
    "roster-template.xlsx",
    "roster-errors.xlsx",
    "publicity.pdf",
    "publicity.xlsx",
    "objection-answer.pdf",
    "certificates.pdf",
    "stock-ledger.pdf",
    "stock-ledger.xlsx",
    "certificates-blank.pdf",
    "upload-batch.zip",
)


def _fresh_folder(out: Path) -> None:
    """Remove a previous demo's own files only; anything else in the folder is left alone."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OWN_FILES:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "backups", ignore_errors=True)


def _actors(db: Database) -> dict[str, Actor]:
    users.create_first_admin(db, "admin", DEMO_PASSWORD, "系统管理员")
    admin = login(db, "admin", DEMO_PASSWORD)
    for username, (name, roles) in DEMO_USERS.items():
        users.create_user(admin, username, name, DEMO_PASSWORD, roles)
    return {"admin": admin, **{u: login(db, u, DEMO_PASSWORD) for u in DEMO_USERS}}


def _institution(admin: Actor) -> list[institution.ScopeItem]:
    data = demo_institution()
    institution.load_catalogue(admin, load_occupations())
    parts = data["certificate_number_parts"]
    form = institution.InstitutionForm(
        name=data["filed_name"],
        credit_code=data["unified_social_credit_code"],
        kind=data["kind"],
        address=data["address"],
        legal_representative=data["legal_representative"],
        contact_person=data["contact"]["name"],
        contact_phone=data["contact"]["phone"],
        filing_number=data["filing_number"],
        filed_on=data["filing_date"],
        filing_valid_until=data["filing_valid_until"],
        cert_category=parts["category"],
        cert_institution_code=parts["institution_code"],
        cert_province=parts["province"],
        cert_site_serial=parts["site_serial"],
    )
    institution.save_institution(admin, form)
    scope = [
        institution.ScopeItem(code, work_type or "", SkillLevel(level))
        for code, work_type, levels in data["scope"]
        for level in levels
    ]
    institution.set_scope(admin, scope)
    return scope


FEES = {
    SkillLevel.LEVEL_5: 20000,
    SkillLevel.LEVEL_4: 30000,
    SkillLevel.LEVEL_3: 40000,
    SkillLevel.LEVEL_2: 60000,
    SkillLevel.LEVEL_1: 80000,
}  # published fees in fen (002 §15)


def _sitting(office: Actor, scope: list[institution.ScopeItem], today: date) -> sittings.SittingView:
    """A sitting held 40 days ago, so the demo can run every later stage up to today."""
    start = today - timedelta(days=40)
    offers = [
        sittings.OfferInput(i.occupation_code, i.work_type, i.level, fee_cents=FEES[i.level]) for i in scope
    ]
    code = f"JL{start:%Y%m}-01"
    view = sittings.create_sitting(
        office, code, f"{start:%Y年%m月}职业技能等级认定", start, start + timedelta(days=1), offers
    )
    day1 = datetime.combine(start, time(9, 0), CHINA_TZ)
    sittings.add_session(office, code, "theory", day1, day1 + timedelta(minutes=120))
    sittings.add_session(office, code, "practical", day1 + timedelta(hours=4), day1 + timedelta(hours=7))
    if any(i.level <= SkillLevel.LEVEL_2 for i in scope):
        day2 = day1 + timedelta(days=1)
        sittings.add_session(office, code, "review", day2, day2 + timedelta(minutes=60))
    sittings.open_registration(
        office,
        code,
        start - timedelta(days=30),
        start - timedelta(days=10),
        "考生须携带准考证和有效身份证件参加考试。",
    )
    return view


def _applications(office: Actor, sitting: sittings.SittingView, n: int, seed: int, today: date) -> int:
    """Demo people apply through the normal registration path, photos included."""
    pairs: dict[str, list[int]] = {}
    work_types: dict[str, list[str]] = {}
    for offer in sitting.offers:
        pairs.setdefault(offer.occupation_code, []).append(int(offer.level))
        work_types.setdefault(offer.occupation_code, []).append(offer.work_type)
    people = make_people(n, seed, sorted(pairs.items()), today)
    for p in {(p.major, p.occupation_code) for p in people if p.major}:
        eligibility.map_major(office, *p)
    items = [
        registration.ApplicationInput(
            candidate=candidates.CandidateInput(
                name=p.name,
                sex=p.sex,
                id_number=p.id_number,
                birth_date=p.birth_date,
                phone=p.phone,
                education=p.education,
                employer=p.employer,
                student_number=p.student_number,
                major=p.major,
                graduation_year=p.graduation_year,
                photo_jpeg=make_photo(seed * 100_003 + i, p.sex),
            ),
            occupation_code=p.occupation_code,
            level=p.level,
            work_type=work_types[p.occupation_code][0],
            years_in_occupation=p.years_in_occupation,
            prior_level=p.prior_level,
            prior_certificate_date=p.prior_certificate_date,
        )
        for i, p in enumerate(people)
    ]
    return len(registration.register_applications(office, sitting.code, items))


def _roster(office: Actor, sitting: sittings.SittingView, roster: Path, out: Path) -> int:
    errors = out / "roster-errors.xlsx"
    report = registration.import_roster(office, sitting.code, roster, errors_out=errors, accept_valid=True)
    return report.imported


def _custody(office: Actor, supervisor: Actor, sitting_code: str) -> int:
    """Each session's paper packet from the printer to the archive, every step with its people (002 §22)."""
    custody.add_key_holder(supervisor, "孙保管", "保密室钥匙 A", date(2025, 9, 1))
    custody.add_key_holder(supervisor, "周保管", "保密室钥匙 B", date(2025, 9, 1))
    keepers, carriers = ("孙保管", "周保管"), ("孙保管", "周保管", "吴押运")
    invigilators, witnesses = ("郑监考", "冯监考"), ("考生代表甲", "考生代表乙")
    done = 0
    for session in sittings.list_sessions(office, sitting_code):
        code = f"{sitting_code}-{session.part[:2].upper()}{session.id:02d}"
        custody.create_packet(
            office,
            sitting_code,
            code,
            f"JL-{session.part}-{session.starts_at:%Y%m%d}",
            "A",
            30,
            session_id=session.id,
        )
        t = session.starts_at
        steps = [
            ("print", t - timedelta(days=3), "学院印刷室", ("印刷员刘", "印刷员陈"), {"copies": 30}),
            (
                "seal",
                t - timedelta(days=3, hours=-1),
                "学院印刷室",
                keepers,
                {"seal_number": f"F{session.id:04d}"},
            ),
            ("store", t - timedelta(days=3, hours=-2), "保密室", keepers, {}),
            ("take_out", t - timedelta(minutes=60), "保密室", keepers, {}),
            ("transport", t - timedelta(minutes=45), "考务办公室A101", carriers, {"from_place": "保密室"}),
            (
                "open",
                t - timedelta(minutes=10),
                "考场",
                invigilators,
                {"witnesses": witnesses, "seal_number": f"F{session.id:04d}"},
            ),
            ("collect", session.ends_at + timedelta(minutes=5), "考场", invigilators, {"copies": 30}),
            (
                "reseal",
                session.ends_at + timedelta(minutes=15),
                "考场",
                invigilators,
                {"seal_number": f"R{session.id:04d}"},
            ),
            ("hand_to_markers", session.ends_at + timedelta(minutes=40), "评分室A103", ("评分组长何",), {}),
            ("return", session.ends_at + timedelta(hours=6), "保密室", keepers, {}),
            ("archive", session.ends_at + timedelta(days=2), "档案室", keepers, {}),
        ]
        for kind, at, place, persons, extra in steps:
            custody.record_event(office, code, kind, at, place, persons, **extra)
        done += 1
    return done


SCORE_SHEETS_DIR = "score-sheets"  # the printed marking sheets, one PDF per theory room (002 §25)


def _markers(office: Actor, sitting_code: str) -> None:
    """Two assessors appointed for every occupation and level of the theory rooms mark every theory session
    (002 §25: markers are chosen by the rules, from qualified assessors)."""
    from jlexam.domain.china_time import china_date
    from jlexam.services import marking, staffing
    from jlexam.services.staffing import StaffInput

    groups = {g for n in staffing.staff_needs(office, sitting_code) if n.part == "theory" for g in n.groups}
    theory = [v for v in sittings.list_sessions(office, sitting_code) if v.part == "theory"]
    if not groups or not theory:
        return
    appointed = china_date(theory[0].starts_at) - timedelta(days=400)
    for k, name in enumerate(("何振华", "孔令伟")):
        person = staffing.add_staff(
            office,
            StaffInput(
                name,
                ("assessor",),
                certificate_number=f"JLKP-YJ-{appointed:%y}-{k + 1:03d}",
                occupations=tuple(sorted({code for code, _ in groups})),
                max_level=min(level for _, level in groups),
                appointed_on=appointed,
                valid_until=appointed.replace(year=appointed.year + 3) - timedelta(days=1),
            ),
        )
        for view in theory:
            marking.assign_marker(office, view.id, person.id)


def _scores(
    clerk1: Actor, clerk2: Actor, supervisor: Actor, sitting_code: str, seed: int, out: Path | None = None
) -> dict[str, int]:
    """Markers are chosen and the marking sheets printed; both clerks enter every part (a few typing slips
    that the supervisor settles), then lock and judge."""
    import random

    _markers(clerk1, sitting_code)
    if out is not None:
        shutil.rmtree(out / SCORE_SHEETS_DIR, ignore_errors=True)
        scoring.write_score_sheets(clerk1, sitting_code, "theory", 1, out / SCORE_SHEETS_DIR, xlsx=False)
    rng = random.Random(seed)
    apps = [r for r in eligibility.list_applications(clerk1, sitting_code) if r.decision == "approved"]
    for part in ("theory", "practical", "review"):
        ids = [a.id for a in apps if _needs(supervisor, a, part)]
        if not ids:
            continue
        # the room records decide: recorded absent -> 缺考, recorded misconduct -> 违纪 (002 §24)
        recorded = {r.application_id: r.recorded for r in scoring.entry_sheet(clerk1, sitting_code, part, 1)}
        marks = {i: recorded.get(i) or _mark(rng) for i in ids}
        slips = dict(marks)
        for i in rng.sample(ids, k=min(3, len(ids))):
            slips[i] = "0" if marks[i] != "0" else "1"
        scoring.enter_scores(clerk1, sitting_code, part, 1, marks)
        scoring.enter_scores(clerk2, sitting_code, part, 2, slips)
        for app_id, _first, _second in scoring.reconciliation(supervisor, sitting_code, part).mismatches:
            scoring.settle(supervisor, app_id, part, marks[app_id], "核对原始评分记录")
        scoring.lock_scores(supervisor, sitting_code, part)
    return scoring.compute_results(supervisor, sitting_code)


def _needs(actor: Actor, app: eligibility.ApplicationRow, part: str) -> bool:
    standard = standards.get_standard(actor, app.occupation_code)
    return any(r.part.value == part for r in standard.parts.get(app.level, ()))


def _mark(rng) -> str:  # type: ignore[no-untyped-def]
    roll = rng.random()
    if roll < 0.10:
        return str(rng.randint(30, 59))
    return str(rng.randint(60, 98))


def _publicity(
    clerk: Actor, supervisor: Actor, sitting_code: str, exam_day: date, today: date, out: Path
) -> list[Path]:
    """Publish after marking, take one objection and answer it, close the period, and write the documents."""
    view = publicity.publish_results(supervisor, sitting_code, exam_day + timedelta(days=12))
    failed = next(
        r for r in eligibility.list_applications(supervisor, sitting_code) if r.decision == "approved"
    )
    objection = publicity.record_objection(
        clerk, sitting_code, failed.name, view.start_on, "对理论知识考试成绩有异议，申请复核", failed.id
    )
    set_simulated_time(datetime.combine(view.start_on + timedelta(days=1), time(10, 0), CHINA_TZ))
    publicity.answer_objection(
        supervisor,
        objection,
        "由两名考评员复核原始答卷，逐题核对评分与合分",
        "复核无误，维持原成绩",
        view.start_on + timedelta(days=1),
    )
    files = [out / "publicity.pdf", out / "publicity.xlsx", out / "objection-answer.pdf"]
    publicity.write_publicity_list(supervisor, sitting_code, files[0], files[1])
    publicity.write_answer_letter(supervisor, objection, files[2], "考务组长 王考务")
    set_simulated_time(datetime.combine(today, time(8, 30), CHINA_TZ))
    publicity.finalize_results(supervisor, sitting_code, today)
    return files


def _demo_calendar(admin: Actor, first: date, last: date) -> list[int]:
    """Years of the demo's dates that the bundled State Council calendar does not cover yet (it ends with the
    last schedule published when this version was built): the demo enters them as Monday-to-Friday years,
    marked as demo data, so its periods are final. A real office enters the published schedule instead
    (设置 → 节假日)."""
    known = set(calendar.bundled_years(admin)) | set(calendar.covered_years(admin))
    missing = [y for y in range(first.year, last.year + 1) if y not in known]
    for year in missing:
        calendar.declare_year(
            admin, year, [], [], f"演示数据：{year} 年节假日安排未随程序附带，演示按周一至周五计算，不作实际依据"
        )
    return missing


def _certificates(
    supervisor: Actor, clerk: Actor, keeper: Actor, sitting_code: str, today: date, out: Path
) -> list[Path]:
    """Issue the certificates, keep the blank-stock ledger, print them, and build and verify the upload batch."""
    numbers = certificates.issue_certificates(supervisor, sitting_code, today)
    at = datetime.combine(today, time(9, 0), CHINA_TZ)
    stock.record(
        keeper, "receipt", at - timedelta(days=60), "孙保管", "省厅配发", 100001, 100000 + len(numbers) + 100
    )
    stock.record(keeper, "issue", at, "孙保管", "李主考", 100001, 100000 + len(numbers) + 2)
    stock.record(
        keeper,
        "spoil",
        at + timedelta(hours=2),
        "孙保管",
        "李主考",
        100000 + len(numbers) + 1,
        100000 + len(numbers) + 2,
        "套打错位，作废两张",
    )
    files = [
        out / "certificates.pdf",
        out / "certificates-blank.pdf",
        out / "upload-batch.zip",
        out / "stock-ledger.pdf",
        out / "stock-ledger.xlsx",
    ]
    stock.write_ledger(keeper, files[3], files[4])
    certificates.write_certificates(supervisor, numbers, files[0])
    certificates.write_certificates(supervisor, numbers[:20], files[1], mode="blank", offset_mm=(1.5, -1.0))
    uploads.export_batch(clerk, uploads.unreported(clerk), files[2])
    report = verify_batch(files[2])
    if not report.ok:
        raise JlexamError("演示上报批次校验失败：" + "；".join(report.problems))
    return files


def _review(office: Actor, supervisor: Actor, sitting_code: str) -> tuple[int, int]:
    """Check every application against its standard, approve the eligible and reject the rest with a reason."""
    eligibility.evaluate_sitting(office, sitting_code)
    approved = rejected = 0
    for row in eligibility.list_applications(office, sitting_code):
        if row.eligibility == "eligible":
            eligibility.decide(supervisor, row.id, True)
            approved += 1
        else:
            eligibility.decide(supervisor, row.id, False, "不符合申报条件：" + row.eligibility_summary[:200])
            rejected += 1
    return approved, rejected


def run_demo(
    out: Path,
    *,
    candidates_count: int = 2000,
    seed: int = 2026,
    roster: Path | None = None,
    today: date | None = None,
    say: Callable[[str], None] = print,
) -> DemoResult:
    if roster is not None:
        raise JlexamError(
            "--roster 需要名单导入功能（报名审核阶段），该功能尚未完成；请先不带 --roster 运行演示。"
        )
    today = today or date.today()
    out = Path(out).resolve()
    _fresh_folder(out)
    configure_keyring(f"file:{out / KEYRING_NAME}", DEMO_KEYRING_PASSPHRASE)
    forget_keystores()
    db = Database(str(out / DB_NAME))
    exam_day = today - timedelta(days=40)  # the demo's sitting (see _sitting)

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, 0), CHINA_TZ)

    try:
        db.upgrade()
        KeyStore(db.database_id).ensure_keys()
        # The story of the sitting is told in seconds; each stage is stamped when it would have happened.
        set_simulated_time(at(exam_day - timedelta(days=45), 9))
        actors = _actors(db)
        say("已创建演示数据库和用户")
        scope = _institution(actors["admin"])
        say(f"已登记演示机构，认定范围 {len(scope)} 项")
        set_simulated_time(at(exam_day - timedelta(days=35), 10))
        sitting = _sitting(actors["kaowu"], scope, today)
        say(f"已创建认定批次 {sitting.code}，发布公告并开放报名")
        set_simulated_time(at(exam_day - timedelta(days=25), 9))
        if roster is None:
            count = _applications(actors["kaowu"], sitting, candidates_count, seed, today)
        else:
            count = _roster(actors["kaowu"], sitting, roster, out)
        say(f"已登记报名 {count} 人（含照片）")
        set_simulated_time(at(exam_day - timedelta(days=9), 9))
        sittings.close_registration(actors["kaowu"], sitting.code)
        approved, rejected = _review(actors["kaowu"], actors["zhukao"], sitting.code)
        say(f"资格审核：通过 {approved} 人，不通过 {rejected} 人")
        set_simulated_time(at(exam_day - timedelta(days=6), 9))
        arranged = arrangement_stage.run(actors, sitting.code, out)
        say("考场编排、考务人员、考务会、准考证和考场文书已完成；考试日扫码签到，缺考和突发事件已记录")
        set_simulated_time(at(exam_day + timedelta(days=3), 9))  # the custody log transcribed
        packets = _custody(actors["kaowu"], actors["zhukao"], sitting.code)
        custody.write_labels(actors["kaowu"], sitting.code, out / "packet-labels.pdf")
        custody.write_custody_log(actors["zhukao"], sitting.code, out / "custody-log.pdf")
        say(f"试卷流转：{packets} 个试卷袋从印制到归档全程登记")
        counts = _scores(actors["kaowu"], actors["kaowu2"], actors["zhukao"], sitting.code, seed, out)
        say(
            f"双人录分、核对、锁定：合格 {counts.get('passed', 0)}，不合格 {counts.get('failed', 0)}，缺考 {counts.get('absent', 0)}"
        )
        set_simulated_time(at(exam_day + timedelta(days=12), 9))
        declared = _demo_calendar(actors["admin"], exam_day, today + timedelta(days=60))
        if declared:
            say(f"演示按周一至周五录入了 {'、'.join(map(str, declared))} 年的工作日（程序未附带该年国务院安排）")
        published = _publicity(actors["kaowu"], actors["zhukao"], sitting.code, sitting.starts_on, today, out)
        say("成绩公示期满，异议已答复，成绩确定")
        set_simulated_time(at(today, 9))
        published += _certificates(
            actors["zhukao"], actors["shujuyuan"], actors["zhukao"], sitting.code, today, out
        )
        say("证书已发放并登记空白证书台账；上报批次已签名并通过校验")
        published += archive_stage.run(actors, sitting.code, out)
        say("上报回执已登记，认定批次已归档，档案包已签名并通过校验，监管统计报表和终止备案报告已生成")
        result = DemoResult(out, out / DB_NAME, count, sitting.code)
        result.files.extend([*arranged, out / "packet-labels.pdf", out / "custody-log.pdf", *published])
        result.files.append(
            announcement.write_announcement(actors["kaowu"], sitting.code, out / "announcement.pdf")
        )
        template = out / "roster-template.xlsx"
        write_template(template, load_occupations())
        result.files.append(template)
        if (out / "roster-errors.xlsx").exists():
            result.files.append(out / "roster-errors.xlsx")
        pem = out / "public_key.pem"
        keys.export_public_key(actors["shujuyuan"], pem)
        result.files.append(pem)
        reports = verify_chains(actors["zhukao"])
        if not all(r.intact for r in reports):
            raise JlexamError("演示结束时审计链校验失败：" + reports[0].problems[0].message)
        say("审计链校验完好")
        _write_summary(result, reports[0].links)
        return result
    finally:
        set_simulated_time(None)
        db.dispose()


def _write_summary(result: DemoResult, audit_links: int) -> None:
    readme = result.out / "README.txt"
    lines = [
        "jlexam 演示数据",
        "",
        f"数据库：{result.database}",
        f"密钥库：{result.out / KEYRING_NAME}（演示口令 {DEMO_KEYRING_PASSPHRASE}）",
        f"认定批次：{result.sitting_code}，考生 {result.candidates} 人",
        f"审计日志：{audit_links} 条，校验完好",
        "",
        f"演示用户（密码均为 {DEMO_PASSWORD}）：admin 系统管理员；"
        + "；".join(
            f"{u} {name}（{'、'.join(r.label for r in roles)}）" for u, (name, roles) in DEMO_USERS.items()
        ),
        "",
        "打开桌面程序：",
        f"  JLEXAM_KEYRING_PASSPHRASE={DEMO_KEYRING_PASSPHRASE} jlexam --db {result.database} "
        f"--keyring file:{result.out / KEYRING_NAME} gui",
        "",
        "文件：",
        *[f"  {p.name}" for p in result.files],
    ]
    write_atomic(readme, "\n".join(lines).encode("utf-8"))
    summary = {
        "database": str(result.database),
        "sitting": result.sitting_code,
        "candidates": result.candidates,
        "audit_events": audit_links,
        "files": [p.name for p in result.files],
    }
    write_atomic(result.out / "demo-summary.json", json.dumps(summary, ensure_ascii=False, indent=2).encode())
    result.files.extend([readme, result.out / "demo-summary.json"])
