"""Scores, publicity, certificates, the blank-stock ledger and upload batches from the shell (issues 7-8)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from jlexam.cli import Context, pass_ctx
from jlexam.domain.china_time import CHINA_TZ


def _day(text: str | None) -> date:
    return date.fromisoformat(text) if text else datetime.now(CHINA_TZ).date()


# --- scores ---------------------------------------------------------------------------------------------------
@click.group()
def scores() -> None:
    """成绩（双人录入）。"""


@scores.command("sheet")
@click.option("--sitting", "code", required=True)
@click.option("--part", type=click.Choice(["theory", "practical", "review"]), required=True)
@click.option("--round", "round_no", type=click.IntRange(1, 2), required=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="录入表文件（.xlsx）；带 --by-room 时为存放各考场文件的文件夹。",
)
@click.option("--by-room", is_flag=True, help="按场次和考场分别写出，每个考场一份（考生按座位号排列）。")
@click.option("--pdf", is_flag=True, help="同时写出打印用的 PDF 评分记录表（含阅卷人姓名和签字栏）。")
@click.option("--pdf-only", is_flag=True, help="只写出 PDF 评分记录表，不写 Excel 录入表。")
@pass_ctx
def scores_sheet(
    c: Context, code: str, part: str, round_no: int, out: Path, by_room: bool, pdf: bool, pdf_only: bool
) -> None:
    """写出成绩录入表（Excel，只有成绩和备注列可填）和评分记录表（PDF）。"""
    from jlexam.services.scoring import write_score_sheets

    if not by_room and out.suffix.lower() != ".xlsx":
        raise click.BadParameter(
            "不带 --by-room 时 --out 应为 .xlsx 文件；按考场写出请加 --by-room 并给出文件夹。"
        )
    if not by_room and out.is_dir():
        raise click.BadParameter(f"{out} 是文件夹：请给出 .xlsx 文件名，或加 --by-room。")
    if by_room and out.exists() and not out.is_dir():
        raise click.BadParameter(f"{out} 已是一个文件：--by-room 时 --out 应为文件夹。")
    files = write_score_sheets(
        c.actor(), code, part, round_no, out, by_room=by_room, xlsx=not pdf_only, pdf=pdf or pdf_only
    )
    for f in files:
        names = "、".join(p.name for p in (f.xlsx, f.pdf) if p is not None)
        markers = "、".join(f.markers) or "未选配"
        click.echo(f"{f.session} {f.room}：{f.candidates} 人，阅卷人 {markers}；{names}")
    total = sum(f.candidates for f in files)
    where = out if by_room else out.parent
    click.echo(f"录分表已写入 {where}（{len(files)} 份，共 {total} 人）。")


@scores.command("markers")
@click.option("--sitting", "code", required=True)
@click.option("--part", type=click.Choice(["theory", "practical", "review"]), default=None)
@pass_ctx
def scores_markers(c: Context, code: str, part: str | None) -> None:
    """各场次、考场的阅卷人（002 第二十五条）。"""
    from jlexam.services.marking import marking_overview

    for x in marking_overview(c.actor(), code, part):
        click.echo(f"场次 {x.session_id} {x.session}：考生 {x.candidates} 人")
        for m in x.markers:
            click.echo(f"  [{m.id}] {m.room}  {m.name}（考评员证 {m.certificate_number}）")
        for r in x.rooms:
            if r.assessors and not r.markers:
                click.echo(f"  {r.room}：由考场考评员 {'、'.join(r.assessors)} 现场评分")
        for problem in x.problems:
            click.echo(f"  ! {problem}")


@scores.command("assign-marker")
@click.option(
    "--session", "session_id", type=int, required=True, help="场次编号（jlexam scores markers 可查）。"
)
@click.option("--staff", required=True, help="考评员的人员编号或姓名。")
@click.option("--room", default=None, help="考场编号或名称；不填为本场次全部考场。")
@pass_ctx
def scores_assign_marker(c: Context, session_id: int, staff: str, room: str | None) -> None:
    """从合格的考评员中选配阅卷人。"""
    from jlexam.services.marking import assign_marker

    view = assign_marker(c.actor(), session_id, staff, room)
    click.echo(f"已选配 {view.name} 为{view.session}{view.room}的阅卷人（编号 {view.id}）。")


@scores.command("unassign-marker")
@click.argument("marker_id", type=int)
@pass_ctx
def scores_unassign_marker(c: Context, marker_id: int) -> None:
    """取消一项阅卷人安排。"""
    from jlexam.services.marking import unassign_marker

    unassign_marker(c.actor(), marker_id)
    click.echo(f"已取消阅卷人安排 {marker_id}。")


@scores.command("import")
@click.option("--sitting", "code", required=True)
@click.option("--part", type=click.Choice(["theory", "practical", "review"]), required=True)
@click.option("--round", "round_no", type=click.IntRange(1, 2), required=True)
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def scores_import(c: Context, code: str, part: str, round_no: int, workbook: Path) -> None:
    """导入填好的录分工作簿（作为当前用户这一轮的录入）。"""
    from jlexam.services.scoring import import_score_workbook

    n = import_score_workbook(c.actor(), code, part, round_no, workbook)
    click.echo(f"已录入 {n} 条成绩。")


@scores.command("check")
@click.option("--sitting", "code", required=True)
@click.option("--part", type=click.Choice(["theory", "practical", "review"]), required=True)
@pass_ctx
def scores_check(c: Context, code: str, part: str) -> None:
    """核对两轮录入。"""
    from jlexam.services.scoring import reconciliation

    view = reconciliation(c.actor(), code, part)
    click.echo(
        f"一致 {view.agreed}，不一致 {len(view.mismatches)}，第一轮缺 {len(view.missing_first)}，"
        f"第二轮缺 {len(view.missing_second)}，已锁定 {view.locked}。"
    )
    for app_id, first, second in view.mismatches:
        click.echo(f"  报名 {app_id}：第一轮 {first}，第二轮 {second}")


@scores.command("lock")
@click.option("--sitting", "code", required=True)
@click.option("--part", type=click.Choice(["theory", "practical", "review"]), required=True)
@pass_ctx
def scores_lock(c: Context, code: str, part: str) -> None:
    from jlexam.services.scoring import lock_scores

    click.echo(f"已锁定 {lock_scores(c.actor(), code, part)} 条成绩。")


@scores.command("results")
@click.option("--sitting", "code", required=True)
@pass_ctx
def scores_results(c: Context, code: str) -> None:
    """按国家职业标准判定成绩结果。"""
    from jlexam.services.scoring import compute_results

    counts = compute_results(c.actor(), code)
    click.echo("，".join(f"{k} {v}" for k, v in sorted(counts.items())))


# --- publicity ------------------------------------------------------------------------------------------------
@click.group()
def publicity() -> None:
    """成绩公示与异议。"""


@publicity.command("publish")
@click.option("--sitting", "code", required=True)
@click.option("--start", "start", default=None, help="公示开始日期 YYYY-MM-DD，默认今天。")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), default=None)
@pass_ctx
def publicity_publish(c: Context, code: str, start: str | None, pdf: Path | None, xlsx: Path | None) -> None:
    from jlexam.services.publicity import publish_results, write_publicity_list

    actor = c.actor()
    view = publish_results(actor, code, _day(start))
    click.echo(
        f"第 {view.version} 次公示：{view.start_on} 至 {view.end_on}"
        + ("（暂定）" if view.provisional else "")
    )
    if pdf or xlsx:
        write_publicity_list(actor, code, pdf, xlsx)
        click.echo("公示名单已写出。")


@publicity.command("finalize")
@click.option("--sitting", "code", required=True)
@pass_ctx
def publicity_finalize(c: Context, code: str) -> None:
    """公示期满且异议均已答复后，确定成绩。"""
    from jlexam.services.publicity import finalize_results

    finalize_results(c.actor(), code, _day(None))
    click.echo("成绩已确定，可以发证。")


# --- certificates ---------------------------------------------------------------------------------------------
@click.group()
def certificates() -> None:
    """证书。"""


@certificates.command("issue")
@click.option("--sitting", "code", required=True)
@click.option("--date", "issue_date", default=None, help="发证日期，默认今天。")
@pass_ctx
def certificates_issue(c: Context, code: str, issue_date: str | None) -> None:
    from jlexam.services.certificates import issue_certificates

    numbers = issue_certificates(c.actor(), code, _day(issue_date))
    click.echo(f"已发放证书 {len(numbers)} 本。")


@certificates.command("print")
@click.option("--sitting", "code", required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--blank", is_flag=True, help="套打到空白证书上（只打印变动内容）。")
@click.option(
    "--offset", nargs=2, type=float, default=(0.0, 0.0), help="打印机校准偏移：向右、向下（毫米）。"
)
@pass_ctx
def certificates_print(c: Context, code: str, out: Path, blank: bool, offset: tuple[float, float]) -> None:
    from jlexam.services.certificates import list_certificates, write_certificates

    actor = c.actor()
    numbers = [v.number for v in list_certificates(actor, code) if v.status == "valid"]
    n = write_certificates(actor, numbers, out, mode="blank" if blank else "full", offset_mm=offset)
    click.echo(f"已写出 {n} 本证书到 {out}。")


# --- upload batches -------------------------------------------------------------------------------------------
@click.group()
def upload() -> None:
    """数据上报批次。"""


@upload.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def upload_export(c: Context, out: Path) -> None:
    """把尚未上报的有效证书（含更正后的证书）做成签名的上报批次。"""
    from jlexam.services.uploads import export_batch, unreported

    actor = c.actor()
    info = export_batch(actor, unreported(actor), out)
    click.echo(f"上报批次 {info.batch_id} 已写入 {out}：{info.count} 本证书。")


@upload.command("status")
@pass_ctx
def upload_status(c: Context) -> None:
    """各批次的上报期限和状态。"""
    from jlexam.services.uploads import dashboard

    rows = dashboard(c.actor(), _day(None))
    if not rows:
        click.echo("没有上报批次。")
    for b in rows:
        click.echo(f"{b.batch_id}  {b.status:<12} 截止 {b.deadline}  {b.count} 本  {b.warning}")


@upload.command("uploaded")
@click.argument("batch_id")
@click.option("--receipt", required=True, help="国家平台回执编号。")
@click.option("--date", "on", default=None)
@pass_ctx
def upload_uploaded(c: Context, batch_id: str, receipt: str, on: str | None) -> None:
    from jlexam.services.uploads import mark_uploaded

    mark_uploaded(c.actor(), batch_id, receipt, _day(on))
    click.echo("已登记上报。")


COMMANDS = [scores, publicity, certificates, upload]
