"""Registration through the command line: the roster template filled in, imported, refused when bad."""

from datetime import date

import openpyxl

from jlexam.demo.pipeline import DEMO_PASSWORD
from jlexam.domain.idcard import build_id_number

ENV_KEYS = ("JLEXAM_DB", "JLEXAM_KEYRING")


def _demo(jlexam):
    out = jlexam.home / "demo"
    assert jlexam("demo", "--out", str(out), "--candidates", "20", password=None).code == 0
    env = {
        "JLEXAM_DB": str(out / "jlexam-demo.sqlite"),
        "JLEXAM_KEYRING": f"file:{out / 'keyring.cfg'}",
        "JLEXAM_KEYRING_PASSPHRASE": "jlexam-demo-keyring",
        "JLEXAM_USER": "kaowu",
    }
    return out, env


def _open_new_sitting(jlexam, env):
    """A second sitting in the demo database, open for registration (through the services)."""
    code = "E2E-01"
    script = f"""
from datetime import date, datetime, timedelta
from jlexam.domain.china_time import CHINA_TZ
from jlexam.domain.levels import SkillLevel
from jlexam.security.keystore import configure_keyring_from_env
from jlexam.services import sittings
from jlexam.services.auth import login
from jlexam.store.database import Database
import os
configure_keyring_from_env()
actor = login(Database(os.environ["JLEXAM_DB"]), "kaowu", "{DEMO_PASSWORD}")
start = date.today() + timedelta(days=16)  # the command line reads the real clock
sittings.create_sitting(actor, "{code}", "端到端批次", start, start,
    [sittings.OfferInput("6-31-01-03", "", SkillLevel(lv)) for lv in (5, 4, 3)])
at = datetime.combine(start, datetime.min.time(), CHINA_TZ).replace(hour=9)
sittings.add_session(actor, "{code}", "theory", at, at + timedelta(minutes=90))
sittings.add_session(actor, "{code}", "practical", at + timedelta(hours=3), at + timedelta(hours=5))
sittings.open_registration(actor, "{code}", start - timedelta(days=45), start - timedelta(days=10))
"""
    import subprocess
    import sys

    full = dict(jlexam.env, **env)
    subprocess.run([sys.executable, "-c", script], check=True, env=full, cwd=jlexam.home)
    return code


def _fill(template, rows):
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    headers = [str(c.value).replace("*", "") for c in ws[1]]
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=r, column=headers.index(key) + 1, value=value)
    path = template.with_name("roster.xlsx")
    wb.save(path)
    return path


def _row(seq, **over):
    row = {
        "姓名": "王李张赵刘陈"[seq % 6] + "测试" + "一二三四五六七八九十"[seq % 10],
        "性别": "男" if seq % 2 else "女",
        "证件号码": build_id_number("220102", date(1990, 1, 1), seq),
        "手机号码": "13912345678",
        "文化程度": "高中/中专",
        "职业编码": "6-31-01-03",
        "申报等级": "四级/中级工",
        "从事本职业年限": 6,
    }
    row.update(over)
    return row


def test_template_import_and_refusal(jlexam):
    _out, env = _demo(jlexam)
    code = _open_new_sitting(jlexam, env)
    template = jlexam.home / "template.xlsx"
    assert jlexam("roster-template", "--out", str(template), password=DEMO_PASSWORD, **env).code == 0
    bad = _fill(
        template, [_row(1), _row(3, 证件号码=build_id_number("220102", date(1990, 1, 1), 3)[:-1] + "0")]
    )
    errors = jlexam.home / "errors.xlsx"
    r = jlexam(
        "import-candidates",
        "--sitting",
        code,
        str(bad),
        "--errors",
        str(errors),
        password=DEMO_PASSWORD,
        **env,
    )
    assert r.code == 1 and "未导入任何数据" in r.err and "第 3 行" in r.err
    assert errors.exists()
    good = _fill(template, [_row(1), _row(3), _row(5, 申报等级="三级/高级工", 从事本职业年限=11)])
    r = jlexam("import-candidates", "--sitting", code, str(good), password=DEMO_PASSWORD, **env)
    assert r.code == 0 and "已导入 3 人" in r.out, r.err
    again = jlexam("import-candidates", "--sitting", code, str(good), password=DEMO_PASSWORD, **env)
    assert again.code == 1  # the same people again: duplicates against the database
    r = jlexam("eligibility", "evaluate", "--sitting", code, password=DEMO_PASSWORD, **env)
    assert r.code == 0 and "符合申报条件 3 人" in r.out, r.out + r.err
