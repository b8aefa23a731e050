"""Archives, archive packages and oversight reports from the shell (issue 9).

Register with ``for command in cli_archive.COMMANDS: cli.add_command(command)``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from jlexam.cli import Context, pass_ctx

EXIT_CHECK_FAILED = 3


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# --- archive ----------------------------------------------------------------------------------------------
@click.group()
def archive() -> None:
    """认定批次归档、档案包与档案销毁（002 第三十四至三十六条）。"""


@archive.command("reported")
@click.option("--sitting", "code", required=True)
@pass_ctx
def archive_reported(c: Context, code: str) -> None:
    """登记认定批次的证书数据已全部上报（各上报批次均已登记回执）。"""
    from jlexam.services.archives import mark_reported

    mark_reported(c.actor(), code)
    click.echo(f"认定批次 {code} 已登记为已上报，可以归档。")


@archive.command("create")
@click.option("--sitting", "code", required=True)
@click.option("--paper-location", required=True, help="纸质档案原件的存放位置，如“档案室 2 号柜第 3 层”。")
@click.option("--paper-years", type=int, default=None, help="纸质档案保管年限（不少于 3 年）。")
@click.option("--electronic-years", type=int, default=None, help="电子档案保管年限（不少于 5 年）。")
@pass_ctx
def archive_create(
    c: Context, code: str, paper_location: str, paper_years: int | None, electronic_years: int | None
) -> None:
    """将已上报的认定批次归档，生成档案目录。"""
    from jlexam.services.archives import archive_sitting

    view = archive_sitting(c.actor(), code, paper_location, paper_years, electronic_years)
    click.echo(
        f"已归档 {len(view.items)} 项：纸质保管至 {view.paper_until}，电子保管至 {view.electronic_until}，"
        f"纸质原件存放于 {view.paper_location}。"
    )


@archive.command("index")
@click.option("--sitting", "code", required=True)
@pass_ctx
def archive_index_cmd(c: Context, code: str) -> None:
    """列出档案目录：每一项的载体、保管期限和存放位置。"""
    from jlexam.services.archives import archive_index

    view = archive_index(c.actor(), code)
    click.echo(f"{view.sitting_code} {view.sitting_name}：{view.archived_on} 由 {view.archived_by} 归档")
    for i in view.items:
        where = i.file_name or i.location
        click.echo(f"{i.seq:>3}  {i.medium.label}  {i.title}（{i.records}）  {where}  {i.status}")


@archive.command("export")
@click.option("--sitting", "code", required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def archive_export(c: Context, code: str, out: Path) -> None:
    """导出签名的档案包（含个人信息，仅限有权限的角色，记入审计日志）。"""
    from jlexam.services.archives import write_package

    info = write_package(c.actor(), code, out)
    click.echo(f"档案包已写入 {out}（{len(info.files)} 个文件，SHA-256 {info.sha256}）。")
    click.echo(f"校验：jlexam batch verify {out}")


@archive.command("destroy")
@click.option("--sitting", "code", required=True)
@click.option("--item", "items", type=int, multiple=True, required=True, help="档案目录中的序号，可重复。")
@click.option("--reason", required=True, help="销毁原因及审批依据。")
@pass_ctx
def archive_destroy(c: Context, code: str, items: tuple[int, ...], reason: str) -> None:
    """销毁保管期已满的档案条目（仅系统管理员）。"""
    from jlexam.services.archives import destroy_items

    n = destroy_items(c.actor(), code, list(items), reason)
    click.echo(f"已销毁 {n} 项，已记入审计日志。")


@archive.command("verify")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
def archive_verify(file: Path, public_key: Path | None) -> None:
    """校验档案包（与 jlexam batch verify 相同）；完好时退出码为 0，校验不通过为 3。"""
    from jlexam.exchange.archive_package import verify_package

    report = verify_package(file, public_key.read_bytes() if public_key else None)
    for check in report.checks:
        click.echo(f"{'通过' if check.ok else '失败'}  {check.label}：{check.detail}")
    if report.ok:
        click.echo("结论：档案包完好。")
    else:
        click.echo(f"结论：档案包校验未通过，共 {len(report.problems)} 处问题。")
        sys.exit(EXIT_CHECK_FAILED)


# --- reports ----------------------------------------------------------------------------------------------
@click.group()
def reports() -> None:
    """监管统计报表与终止备案报告。"""


@reports.command("oversight")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--from", "period_from", default=None, help="统计起始日期 YYYY-MM-DD（按开考日期）。")
@click.option("--to", "period_to", default=None, help="统计截止日期 YYYY-MM-DD。")
@pass_ctx
def reports_oversight(
    c: Context, pdf: Path | None, xlsx: Path | None, period_from: str | None, period_to: str | None
) -> None:
    """认定工作统计报表：批次、人数、合格率、考场记录、试卷流转、上报及时性、备案与星级评定材料。"""
    from jlexam.services import reports as svc

    if pdf or xlsx:
        r = svc.write_oversight(c.actor(), pdf, xlsx, _day(period_from), _day(period_to))
    else:
        r = svc.oversight(c.actor(), None, _day(period_from), _day(period_to))
    click.echo(
        f"认定批次 {len(r.sittings)} 个，参评 {r.candidates} 人，合格 {r.passed} 人，发证 {r.certificates} 本。"
    )
    click.echo(r.filing_message)
    click.echo(r.last_sitting_message)
    for path in (pdf, xlsx):
        if path:
            click.echo(f"已写出 {path}")


@reports.command("termination")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), default=None)
@pass_ctx
def reports_termination(c: Context, pdf: Path | None, xlsx: Path | None) -> None:
    """终止备案收尾工作报告：已发证书及上报情况、应退费用、档案保管（001 第十二、十三条）。"""
    from jlexam.services import reports as svc

    r = svc.write_termination(c.actor(), pdf, xlsx) if pdf or xlsx else svc.termination(c.actor())
    click.echo(
        f"已发证书 {len(r.certificates)} 本（有效 {r.valid_certificates}，未上报 {r.not_uploaded}）；"
        f"应退费用 {len(r.refunds)} 笔 {r.refund_cents / 100:.2f} 元；档案 {len(r.archives)} 个批次。"
    )


COMMANDS = [archive, reports]
