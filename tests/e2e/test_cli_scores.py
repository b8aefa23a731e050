"""Score sheets and markers through the command line, on a demo database (002 §25)."""

from openpyxl import load_workbook

from jlexam.demo.pipeline import DEMO_PASSWORD
from tests.e2e.test_cli_results import _demo


def test_score_sheets_and_markers_from_the_shell(jlexam):
    _out, env = _demo(jlexam)
    env["JLEXAM_USER"] = "kaowu"
    sitting = jlexam("sittings", "list", password=DEMO_PASSWORD, **env).out.split()[0]
    base = ("scores", "sheet", "--sitting", sitting, "--part", "theory", "--round", "1")

    # the original form: one workbook for the whole part
    whole = jlexam.home / "theory.xlsx"
    r = jlexam(*base, "--out", str(whole), password=DEMO_PASSWORD, **env)
    assert r.code == 0 and "录分表已写入" in r.out, r.err
    assert whole.exists() and not whole.with_suffix(".pdf").exists()
    rows = list(load_workbook(whole)["成绩录入"].iter_rows(min_row=4, values_only=True))
    assert rows and all(row[1] for row in rows)  # ticket numbers

    # per session and room, with the printed marking sheets naming the markers
    folder = jlexam.home / "sheets"
    r = jlexam(*base, "--out", str(folder), "--by-room", "--pdf", password=DEMO_PASSWORD, **env)
    assert r.code == 0, r.err
    assert "阅卷人 何振华、孔令伟" in r.out
    xlsx, pdf = sorted(folder.glob("*.xlsx")), sorted(folder.glob("*.pdf"))
    assert len(xlsx) == len(pdf) >= 2 and all("第1轮录入表" in p.name for p in xlsx)
    assert pdf[0].read_bytes().startswith(b"%PDF")

    bad = jlexam(*base, "--out", str(jlexam.home / "x.txt"), password=DEMO_PASSWORD, **env)
    assert bad.code == 2 and ".xlsx" in bad.err

    listing = jlexam(
        "scores", "markers", "--sitting", sitting, "--part", "theory", password=DEMO_PASSWORD, **env
    )
    assert listing.code == 0 and "何振华" in listing.out and "全部考场" in listing.out
    session_id = listing.out.split()[1]
    late = jlexam(
        "scores", "assign-marker", "--session", session_id, "--staff", "何振华", password=DEMO_PASSWORD, **env
    )
    assert late.code == 1 and "不能再调整阅卷人" in late.err  # the demo's results are long judged

    env["JLEXAM_USER"] = "shujuyuan"
    refused = jlexam(*base, "--out", str(jlexam.home / "y.xlsx"), password=DEMO_PASSWORD, **env)
    assert refused.code != 0 and "无权" in refused.err
