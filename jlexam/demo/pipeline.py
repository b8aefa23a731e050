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
from datetime import date, timedelta
from pathlib import Path

from jlexam.demo.institution import demo_institution
from jlexam.demo.people import make_people
from jlexam.demo.photos import make_photo
from jlexam.domain.levels import SkillLevel
from jlexam.errors import JlexamError
from jlexam.exchange.catalogue import load_occupations
from jlexam.fileio import write_atomic
from jlexam.security.keystore import KeyStore, configure_keyring
from jlexam.security.roles import Role
from jlexam.services import candidates, institution, keys, sittings, users
from jlexam.services.audit import verify_chains
from jlexam.services.auth import login
from jlexam.services.base import Actor, forget_keystores
from jlexam.store.database import Database

DB_NAME = "jlexam-demo.sqlite"
KEYRING_NAME = "keyring.cfg"
DEMO_PASSWORD = "Demo2026!"  # published in the demo's README.txt; demo only
DEMO_KEYRING_PASSPHRASE = "jlexam-demo-keyring"
DEMO_USERS = {  # username -> (display name, roles)
    "kaowu": ("王考务", frozenset({Role.EXAM_OFFICE})),
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


def _fresh_folder(out: Path) -> None:
    """Remove a previous demo's own files only; anything else in the folder is left alone."""
    out.mkdir(parents=True, exist_ok=True)
    for name in (
        DB_NAME,
        DB_NAME + "-wal",
        DB_NAME + "-shm",
        KEYRING_NAME,
        "public_key.pem",
        "README.txt",
        "demo-summary.json",
    ):
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


def _sitting(office: Actor, scope: list[institution.ScopeItem], today: date) -> sittings.SittingView:
    start = today + timedelta(days=30)
    offers = [sittings.OfferInput(i.occupation_code, i.work_type, i.level, fee_cents=0) for i in scope]
    return sittings.create_sitting(
        office,
        f"JL{start:%Y%m}-01",
        f"{start:%Y年%m月}职业技能等级认定",
        start,
        start + timedelta(days=1),
        offers,
    )


def _candidates(office: Actor, sitting: sittings.SittingView, n: int, seed: int, today: date) -> int:
    pairs: dict[str, list[int]] = {}
    for offer in sitting.offers:
        pairs.setdefault(offer.occupation_code, []).append(int(offer.level))
    people = make_people(n, seed, sorted(pairs.items()), today)
    inputs = [
        candidates.CandidateInput(
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
        )
        for i, p in enumerate(people)
    ]
    return len(candidates.register_candidates(office, inputs))


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
    try:
        db.upgrade()
        KeyStore(db.database_id).ensure_keys()
        actors = _actors(db)
        say("已创建演示数据库和用户")
        scope = _institution(actors["admin"])
        say(f"已登记演示机构，认定范围 {len(scope)} 项")
        sitting = _sitting(actors["kaowu"], scope, today)
        say(f"已创建认定批次 {sitting.code}")
        count = _candidates(actors["kaowu"], sitting, candidates_count, seed, today)
        say(f"已登记考生 {count} 人（含照片）")
        result = DemoResult(out, out / DB_NAME, count, sitting.code)
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
