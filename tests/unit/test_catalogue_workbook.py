"""The occupation catalogue can be updated from a workbook, with the same checks as the bundled CSV."""

import openpyxl
import pytest

from jlexam.domain.levels import SkillLevel
from jlexam.errors import ValidationError
from jlexam.exchange.catalogue import OCCUPATION_COLUMNS, load_occupations


def _book(tmp_path, rows, header=OCCUPATION_COLUMNS):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    path = tmp_path / "目录.xlsx"
    wb.save(path)
    return path


def test_workbook_catalogue_reads_like_the_csv(tmp_path):
    path = _book(
        tmp_path, [["6-31-01-03", "电工", "", "5|4|3|2|1", ""], ["6-18-01-01", "车工", None, 5, "只设五级"]]
    )
    occupations = load_occupations(path)
    assert [o.code for o in occupations] == ["6-31-01-03", "6-18-01-01"]
    assert occupations[1].levels == (SkillLevel.LEVEL_5,)


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([["6-31-1-3", "电工", "", "5", ""]], OCCUPATION_COLUMNS, "格式不对"),
        ([["6-31-01-03", "", "", "5", ""]], OCCUPATION_COLUMNS, "请填写职业名称"),
        ([["6-31-01-03", "电工", "", "6", ""]], OCCUPATION_COLUMNS, "1 至 5"),
        (
            [["6-31-01-03", "电工", "", "5", ""], ["6-31-01-03", "电工", "", "4", ""]],
            OCCUPATION_COLUMNS,
            "重复",
        ),
        ([["6-31-01-03", "电工"]], ("code", "name"), "表头缺少列"),
    ],
)
def test_bad_workbook_rows_are_named(tmp_path, rows, header, message):
    with pytest.raises(ValidationError, match=message):
        load_occupations(_book(tmp_path, rows, header))


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ValidationError, match=r"另存为 \.xlsx"):
        load_occupations(path)
