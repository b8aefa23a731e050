"""Sittings, registration and eligibility from the shell (issue 4)."""

from __future__ import annotations

from pathlib import Path

import click

from jlexam.cli import Context, pass_ctx


@click.group()
def sittings() -> None:
    """认定批次。"""


@sittings.command("list")
@pass_ctx
def sittings_list(c: Context) -> None:
    from jlexam.services.sittings import list_sittings

    rows = list_sittings(c.actor())
    if not rows:
        click.echo("没有认定批次。")
    for s in rows:
        click.echo(f"{s.code:<16} {s.state.label:<6} {s.starts_on or '':<10}  {s.name}")


@click.command("import-candidates")
@click.option("--sitting", "sitting_code", required=True, help="认定批次编号。")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--errors",
    "errors_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="有错误的行写入此工作簿，错误说明在出错的单元格旁。",
)
@click.option("--accept-valid", is_flag=True, help="只导入无错误的行（默认：有任何错误则一行也不导入）。")
@click.option("--preview", is_flag=True, help="只检查，不导入。")
@pass_ctx
def import_candidates(
    c: Context, sitting_code: str, workbook: Path, errors_out: Path | None, accept_valid: bool, preview: bool
) -> None:
    """从报名名单工作簿导入考生和报名（一个事务：要么全部导入，要么一行也不导入）。"""
    from jlexam.exchange.roster import write_errors_workbook
    from jlexam.services.registration import import_roster, preview_roster

    actor = c.actor()
    if preview:
        result = preview_roster(actor, sitting_code, workbook)
        click.echo(
            f"共 {result.total} 行：可导入 {len(result.rows)} 行，有错误 {len(result.rejected_rows)} 行。"
        )
        for notice in result.notices:
            click.echo(f"提示：{notice}")
        for e in result.errors[:50]:
            click.echo(f"  {e.sheet} 第 {e.row} 行 {e.column} 列（{e.header}）：{e.message}")
        if result.rejected_rows and errors_out:
            write_errors_workbook(errors_out, workbook, result)
            click.echo(f"错误说明已写入 {errors_out}")
        return
    report = import_roster(actor, sitting_code, workbook, errors_out=errors_out, accept_valid=accept_valid)
    click.echo(f"已导入 {report.imported} 人（共 {report.total} 行，未导入 {report.rejected} 行）。")
    for notice in report.notices:
        click.echo(f"提示：{notice}")
    if report.errors_file:
        click.echo(f"未导入的行及错误说明见 {report.errors_file}")


@click.command("roster-template")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def roster_template(c: Context, out: Path) -> None:
    """写出报名名单模板（含填写说明和职业目录）。"""
    from jlexam.exchange.catalogue import load_occupations
    from jlexam.exchange.roster import write_template

    write_template(out, load_occupations())
    click.echo(f"模板已写入 {out}")


@click.group()
def eligibility() -> None:
    """资格审核。"""


@eligibility.command("evaluate")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def eligibility_evaluate(c: Context, sitting_code: str) -> None:
    """按国家职业标准的申报条件核查本批次所有未决定的报名。"""
    from jlexam.services.eligibility import evaluate_sitting

    ok, failed = evaluate_sitting(c.actor(), sitting_code)
    click.echo(f"符合申报条件 {ok} 人，不符合 {failed} 人。")


@click.group()
def photos() -> None:
    """考生照片。"""


@photos.command("import")
@click.option("--sitting", "sitting_code", required=True)
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@pass_ctx
def photos_import(c: Context, sitting_code: str, source: Path) -> None:
    """从文件夹或 ZIP 导入照片，文件名为证件号码。"""
    from jlexam.services.photos import import_photos

    report = import_photos(c.actor(), sitting_code, source)
    click.echo(f"新增 {report.imported} 张，替换 {report.replaced} 张，未导入 {len(report.problems)} 张。")
    for name, reason in report.problems[:50]:
        click.echo(f"  {name}：{reason}")


@photos.command("replace")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--reason", required=True, help="更换理由（审计记录，至少 4 个字）")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@pass_ctx
def photos_replace(c: Context, sitting_code: str, reason: str, source: Path) -> None:
    """主考/督导更换已印在准考证上的照片（须写明理由；之后请重新打印准考证和签到表）。"""
    from jlexam.services.photos import replace_printed_photos

    report = replace_printed_photos(c.actor(), sitting_code, source, reason)
    click.echo(f"已更换 {report.replaced} 张，新增 {report.imported} 张，未导入 {len(report.problems)} 张。")
    for name, problem in report.problems[:50]:
        click.echo(f"  {name}：{problem}")
    if report.replaced:
        click.echo("请重新打印这些考生的准考证（jlexam tickets reprint）和所在考场的签到表。")


COMMANDS = [sittings, import_candidates, roster_template, eligibility, photos]


@click.group()
def catalogue() -> None:
    """职业目录。"""


@catalogue.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@pass_ctx
def catalogue_import(c: Context, source: Path | None) -> None:
    """从工作簿（.xlsx）或 CSV 更新职业目录；不给文件则载入内置目录。"""
    from jlexam.exchange.catalogue import load_occupations
    from jlexam.services.institution import load_catalogue

    changed = load_catalogue(c.actor(), load_occupations(source))
    click.echo(f"职业目录已更新 {changed} 项。")


COMMANDS.append(catalogue)
