"""Arrangement through the command line: rooms, a seat plan, staff, the supervisor's lock, tickets whose QR
code is read back from the PDF and scanned at check-in, room documents, refusals with their reasons."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from jlexam.demo.pipeline import DEMO_PASSWORD

CODE = "E2E-ARR"
# Dated from the day the suite runs: the command line reads the real clock (sessions not yet begun).
START = date.today() + timedelta(days=16)
APPOINTED, VALID_UNTIL = str(date.today() - timedelta(days=300)), str(date.today() + timedelta(days=700))

_SETUP = f"""
from datetime import date, datetime, timedelta
import os
from jlexam.domain.china_time import CHINA_TZ
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.security.keystore import configure_keyring_from_env
from jlexam.services import eligibility, registration, sittings
from jlexam.services.auth import login
from jlexam.services.candidates import CandidateInput
from jlexam.store.database import Database
configure_keyring_from_env()
db = Database(os.environ["JLEXAM_DB"])
office, sup = login(db, "kaowu", "{DEMO_PASSWORD}"), login(db, "zhukao", "{DEMO_PASSWORD}")
start = date.fromisoformat("{START}")
sittings.create_sitting(office, "{CODE}", "端到端编排批次", start, start,
    [sittings.OfferInput("6-31-01-03", "", SkillLevel(4))])
at = datetime.combine(start, datetime.min.time(), CHINA_TZ).replace(hour=9)
sittings.add_session(office, "{CODE}", "theory", at, at + timedelta(minutes=90))
sittings.add_session(office, "{CODE}", "practical", at + timedelta(hours=3), at + timedelta(hours=5))
sittings.open_registration(office, "{CODE}", start - timedelta(days=45), start - timedelta(days=10))
ids = []
for seq in range(1, 7):
    person = CandidateInput(name="编排测试" + "一二三四五六"[seq - 1], sex=Sex.MALE if seq % 2 else Sex.FEMALE,
        id_number=build_id_number("220102", date(1988, 5, 1), 900 + seq), phone="13912345678",
        education="高中/中专")
    ids.append(registration.register_application(office, "{CODE}", registration.ApplicationInput(
        candidate=person, occupation_code="6-31-01-03", level=SkillLevel(4), years_in_occupation=8)))
sittings.close_registration(office, "{CODE}")
eligibility.evaluate_sitting(office, "{CODE}")
for app_id in ids:
    eligibility.decide(sup, app_id, True)
"""

_RUN = """
import sys
from jlexam import cli, cli_arrangement
if not set(c.name for c in cli_arrangement.COMMANDS) <= set(cli.cli.commands):
    for command in cli_arrangement.COMMANDS:
        cli.cli.add_command(command)
sys.exit(cli.main(sys.argv[1:]))
"""


def _demo(jlexam):
    out = jlexam.home / "demo"
    made = jlexam("demo", "--out", str(out), "--candidates", "20", password=None)
    assert made.code == 0, made.err
    env = {
        "JLEXAM_DB": str(out / "jlexam-demo.sqlite"),
        "JLEXAM_KEYRING": f"file:{out / 'keyring.cfg'}",
        "JLEXAM_KEYRING_PASSPHRASE": "jlexam-demo-keyring",
    }
    subprocess.run([sys.executable, "-c", _SETUP], check=True, env=dict(jlexam.env, **env), cwd=jlexam.home)
    return out, env


def _cli(jlexam, env, user, *args):
    """``python -m jlexam`` once the commands are registered; until then the same main with them added."""
    full = dict(jlexam.env, **env, JLEXAM_USER=user, JLEXAM_PASSWORD=DEMO_PASSWORD)
    help_text = subprocess.run(
        [sys.executable, "-m", "jlexam", "--help"], capture_output=True, text=True, env=full, cwd=jlexam.home
    ).stdout
    command = [sys.executable, "-m", "jlexam"] if "seating" in help_text else [sys.executable, "-c", _RUN]
    proc = subprocess.run(
        [*command, *args], capture_output=True, text=True, env=full, cwd=jlexam.home, timeout=300
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_arrangement_tickets_and_check_in_through_the_cli(jlexam):
    _out, env = _demo(jlexam)

    def office(*args):
        return _cli(jlexam, env, "kaowu", *args)

    code, text, err = office("seating", "sessions", "--sitting", CODE)
    assert code == 0, err
    theory, practical = (int(line.split()[0]) for line in text.splitlines()[:2])
    assert "6 人" in text

    assert office("sites", "add", "端到端考点")[0] == 0
    rooms = [
        ("E2E理论", "theory", "3", "4"),
        ("E2E实操", "practical", "2", "5"),
        ("E2E办公室", "exam_office", "1", "2"),
        ("E2E候考室", "waiting", "1", "2"),
    ]
    for name, kind, rows, columns in rooms:
        code, _, err = office(
            "sites", "add-room", "--site", "端到端考点", "--name", name, "--kind", kind,
            "--rows", rows, "--columns", columns, "--surveillance",
        )  # fmt: skip
        assert code == 0, err
    # No marking room yet: the plan is refused naming 002 §19.
    code, _, err = office("seating", "plan", "--session", str(theory), "--room", "E2E理论", "--seed", "5")
    assert code == 1 and "评分室" in err and "第十九条" in err
    office("sites", "add-room", "--site", "端到端考点", "--name", "E2E评分室", "--kind", "marking",
           "--rows", "1", "--columns", "2", "--surveillance")  # fmt: skip
    code, text, err = office("seating", "plan", "--session", str(theory), "--room", "E2E理论", "--seed", "5")
    assert code == 0 and "编排 6 人，随机种子 5" in text, err
    code, text, err = office(
        "seating", "plan", "--session", str(practical), "--room", "E2E实操", "--seed", "5"
    )
    assert code == 0, err
    code, text, _ = office("seating", "check", "--session", str(theory))
    assert "完全一致" in text

    for name, role, extra in (
        ("郑监考", "invigilator", []),
        ("冯监考", "invigilator", []),
        *(
            (n, "assessor", ["--certificate", f"KP-{n}", "--occupation", "6-31-01-03", "--max-level", "3",
                             "--appointed-on", APPOINTED, "--valid-until", VALID_UNTIL])
            for n in ("甲考评", "乙考评")
        ),
    ):  # fmt: skip
        code, _, err = office("staff", "add", name, "--role", role, *extra)
        assert code == 0, err
    for name in ("郑监考", "冯监考"):
        assert office("staff", "assign", "--session", str(theory), "--staff", name, "--duty", "invigilator",
                      "--room", "E2E理论")[0] == 0  # fmt: skip
    for name in ("甲考评", "乙考评"):
        assert office("staff", "assign", "--session", str(practical), "--staff", name, "--duty", "assessor",
                      "--room", "E2E实操")[0] == 0  # fmt: skip
    code, text, _ = office("staff", "problems", "--sitting", CODE)
    assert code == 3 and "至少需要 3 人" in text and "[002 §21]" in text
    code, _, err = _cli(jlexam, env, "zhukao", "staff", "lock", "--sitting", CODE)
    assert code == 1 and "不能锁定" in err and "至少需要 3 人" in err
    office("staff", "add", "丙考评", "--role", "assessor", "--certificate", "KP-丙", "--occupation", "6-31-01-03",
           "--max-level", "3", "--appointed-on", APPOINTED, "--valid-until", VALID_UNTIL)  # fmt: skip
    office("staff", "assign", "--session", str(practical), "--staff", "丙考评", "--duty", "assessor",
           "--room", "E2E实操")  # fmt: skip
    code, _, err = office("staff", "lock", "--sitting", CODE)
    assert code == 1 and "无权" in err  # the exam office cannot lock
    code, text, err = _cli(jlexam, env, "zhukao", "staff", "lock", "--sitting", CODE)
    assert code == 0, err
    code, text, err = office(
        "staff", "briefing", "--sitting", CODE, "--at", f"{START - timedelta(days=1)} 15:00", "--place", "E2E办公室",
        "--attendee", "郑监考", "--attendee", "冯监考", "--attendee", "甲考评", "--attendee", "乙考评",
    )  # fmt: skip
    assert code == 0 and "未到：丙考评" in text, err

    code, text, err = office("tickets", "issue", "--sitting", CODE)
    assert code == 0 and "6 张" in text, err
    pdf = jlexam.home / "tickets.pdf"
    code, text, err = office("tickets", "pdf", "--sitting", CODE, "--out", str(pdf))
    assert code == 0 and pdf.exists(), err
    code, text, err = office("tickets", "room-docs", "--sitting", CODE, "--out", str(jlexam.home / "rooms"))
    assert code == 0 and (jlexam.home / "rooms" / "sign-in.pdf").exists(), err

    # A photo missing at ticket issue may still be added; one printed on a ticket is replaced only by a
    # supervisor with a reason (002 §20).
    from datetime import date

    from jlexam.demo.photos import make_photo
    from jlexam.domain.idcard import Sex, build_id_number

    number = build_id_number("220102", date(1988, 5, 1), 901)
    for seed in (1, 2):
        folder = jlexam.home / f"photos{seed}"
        folder.mkdir()
        (folder / f"{number}.jpg").write_bytes(make_photo(seed, Sex.MALE))
    code, text, err = office("photos", "import", "--sitting", CODE, str(jlexam.home / "photos1"))
    assert code == 0 and "新增 1 张" in text, err
    code, text, err = office("photos", "import", "--sitting", CODE, str(jlexam.home / "photos2"))
    assert code == 0 and "未导入 1 张" in text and "已发放准考证" in text, err
    replace = ("photos", "replace", "--sitting", CODE, str(jlexam.home / "photos2"))
    code, _, err = office(*replace, "--reason", "原照片非本人近照，已核对身份证")
    assert code == 1 and "无权" in err
    code, text, err = _cli(jlexam, env, "zhukao", *replace, "--reason", "原照片非本人近照，已核对身份证")
    assert code == 0 and "已更换 1 张" in text and "tickets reprint" in text, err

    # A supervised seat move after the lock (002 §21): a reason, the supervisor, and one ticket printed again.
    code, text, _ = office("seating", "show", "--session", str(theory))
    mover = next(line for line in text.splitlines() if "报名" in line).split("报名")[1].split()[0]
    move = ("seating", "change", "--session", str(theory), "--application", mover, "--room", "E2E理论",
            "--row", "3", "--column", "4")  # fmt: skip
    code, _, err = office(*move, "--reason", "课桌损坏，调到空座")
    assert code == 1 and "无权" in err
    code, _, err = _cli(jlexam, env, "zhukao", *move, "--reason", "调整")
    assert code == 1 and "理由" in err and "第二十一条" in err
    code, text, err = _cli(jlexam, env, "zhukao", *move, "--reason", "课桌损坏，调到空座")
    assert code == 0 and "12 号座位" in text and "须重新打印" in text and "tickets reprint" in text, err
    one = jlexam.home / "one-ticket.pdf"
    code, text, err = office("tickets", "reprint", "--application", mover, "--out", str(one))
    assert code == 0 and one.exists() and "已重新打印准考证" in text, err
    code, text, err = office("staff", "changes", "--sitting", CODE)
    assert code == 0 and "[座位]" in text and "课桌损坏" in text, err

    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(str(pdf))[0].render(scale=300 / 72).to_pil()
    token = next(b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode)
    import base64
    import json

    body = token.split(".")[1]
    scanned = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["name"]
    other = next(n for n in ("编排测试一", "编排测试二") if n != scanned)
    code, text, _ = office("checkin", "scan", "--session", str(theory), token)
    assert code == 0 and "核验通过" in text and scanned in text
    code, text, _ = office("checkin", "scan", "--session", str(theory), token)
    assert code == 3 and "已签到" in text
    forged = token[:-3] + ("x" if token[-3] != "x" else "y") + token[-2:]
    code, text, _ = office("checkin", "scan", "--session", str(theory), forged)
    assert code == 3 and "拒绝" in text
    code, text, err = office("checkin", "manual", "--session", str(theory), "--name", other, "--reason", " ")
    assert code == 1 and "理由" in err
    code, text, err = office(
        "checkin",
        "manual",
        "--session",
        str(theory),
        "--name",
        other,
        "--reason",
        "二维码污损无法识别",
    )
    assert code == 0 and "核验通过" in text, err
    code, text, _ = office("checkin", "status", "--session", str(theory))
    assert "已签到 2 人（人工 1）" in text
    code, _, err = office("checkin", "held", "--sitting", CODE)
    assert code == 1 and "尚未结束" in err
    verify = _cli(jlexam, env, "zhukao", "audit", "verify")
    assert verify[0] == 0, verify[2]
