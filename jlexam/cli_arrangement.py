"""Sites and rooms, seat plans, staff, tickets and the exam day from the shell (issue 5).

Register with ``for command in cli_arrangement.COMMANDS: cli.add_command(command)``.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from jlexam.cli import EXIT_CHECK_FAILED, Context, pass_ctx
from jlexam.errors import ValidationError


def _china_datetime(text: str) -> datetime:
    from jlexam.domain.china_time import CHINA_TZ

    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    raise ValidationError(f"时间“{text}”格式不对：应为“2026-12-11 14:00”（北京时间）。")


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"日期“{text}”格式不对：应为“2027-12-31”。") from None


# --- sites ------------------------------------------------------------------------------------------------
@click.group()
def sites() -> None:
    """考点和考场。"""


@sites.command("list")
@pass_ctx
def sites_list(c: Context) -> None:
    from jlexam.services.arrangement import list_sites

    rows = list_sites(c.actor())
    if not rows:
        click.echo("没有考点。")
    for site in rows:
        click.echo(f"{site.name}（{site.address or '--'}）")
        for r in site.rooms:
            video = "有监控" if r.video_surveillance else "无监控（不能使用）"
            out = f"，停用 {r.seats_out_of_use}" if r.seats_out_of_use else ""
            click.echo(
                f"  {r.id:>4}  {r.name:<16} {r.kind_label:<6} {r.rows}x{r.columns} 容量 {r.capacity}{out}  {video}"
            )


@sites.command("add")
@click.argument("name")
@click.option("--address", default="")
@pass_ctx
def sites_add(c: Context, name: str, address: str) -> None:
    """添加考点。"""
    from jlexam.services.arrangement import add_site

    view = add_site(c.actor(), name, address)
    click.echo(f"已添加考点 {view.name}。")


@sites.command("add-room")
@click.option("--site", "site_name", required=True, help="考点名称。")
@click.option("--name", required=True, help="考场名称。")
@click.option(
    "--kind",
    required=True,
    type=click.Choice(["theory", "practical", "review", "exam_office", "waiting", "marking"]),
)
@click.option("--rows", type=int, required=True)
@click.option("--columns", type=int, required=True)
@click.option("--capacity", type=int, default=None, help="容量（默认：全部可用座位）。")
@click.option("--out-of-use", default="", help="停用座位，“排-列”，逗号分隔，如 1-2,3-4。")
@click.option("--surveillance/--no-surveillance", default=False, help="是否有视频监控（002 第十八条）。")
@pass_ctx
def sites_add_room(
    c: Context,
    site_name: str,
    name: str,
    kind: str,
    rows: int,
    columns: int,
    capacity: int | None,
    out_of_use: str,
    surveillance: bool,
) -> None:
    """在考点中添加考场或考务用房。"""
    from jlexam.services.arrangement import RoomInput, add_room

    view = add_room(
        c.actor(), site_name, RoomInput(name, kind, rows, columns, capacity, out_of_use, surveillance)
    )
    click.echo(f"已添加{view.kind_label} {view.name}（编号 {view.id}，容量 {view.capacity}）。")


# --- seat plans -------------------------------------------------------------------------------------------
@click.group()
def seating() -> None:
    """考场编排（座位）。"""


@seating.command("sessions")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def seating_sessions(c: Context, sitting_code: str) -> None:
    """列出批次的场次及应考人数。"""
    from jlexam.services.arrangement import sessions_for

    for session_id, label, count in sessions_for(c.actor(), sitting_code):
        click.echo(f"{session_id:>4}  {label}  {count} 人")


@seating.command("plan")
@click.option("--session", "session_id", type=int, required=True)
@click.option(
    "--room", "rooms", multiple=True, required=True, help="考场编号或名称，按使用顺序，可多次给出。"
)
@click.option("--seed", type=int, default=None, help="随机种子（默认随机，且会记录）。")
@click.option("--strategy", type=click.Choice(["fill", "balanced"]), default="fill", show_default=True)
@pass_ctx
def seating_plan(
    c: Context, session_id: int, rooms: tuple[str, ...], seed: int | None, strategy: str
) -> None:
    """编排一个场次的座位（替换未锁定的编排）。"""
    from jlexam.services.arrangement import make_seat_plan

    view = make_seat_plan(c.actor(), session_id, list(rooms), seed=seed, strategy=strategy)
    click.echo(f"{view.session}：编排 {len(view.seats)} 人，随机种子 {view.seed}。")
    for r in view.rooms:
        click.echo(f"  第{r.number:02d}考场 {r.name}：{r.seated}/{r.capacity}")


@seating.command("move")
@click.option("--session", "session_id", type=int, required=True)
@click.option("--application", "application_id", type=int, required=True)
@click.option("--room", required=True)
@click.option("--row", type=int, required=True)
@click.option("--column", type=int, required=True)
@pass_ctx
def seating_move(c: Context, session_id: int, application_id: int, room: str, row: int, column: int) -> None:
    """手工调整一名考生的座位。"""
    from jlexam.services.arrangement import move_seat

    view = move_seat(c.actor(), session_id, application_id, room, row, column)
    seat = next(x for x in view.seats if x.application_id == application_id)
    click.echo(f"报名 {application_id} 已调到 {seat.room_name} {seat.seat_number} 号座位。")


@seating.command("change")
@click.option("--session", "session_id", type=int, required=True)
@click.option("--application", "application_id", type=int, required=True)
@click.option("--room", required=True, help="考场编号或名称（本场次编排中的考场）。")
@click.option("--row", type=int, required=True)
@click.option("--column", type=int, required=True)
@click.option("--reason", required=True, help="调整理由（002 第二十一条），写明谁、因为什么。")
@pass_ctx
def seating_change(
    c: Context, session_id: int, application_id: int, room: str, row: int, column: int, reason: str
) -> None:
    """主考/督导调整已锁定编排中一名考生的座位（开考前，须说明理由，留审计记录）。"""
    from jlexam.services.staffing import change_seat

    view = change_seat(c.actor(), session_id, application_id, room, row, column, reason)
    click.echo(view.message)
    if view.reprint:
        click.echo(
            f"重新打印这一张：jlexam tickets reprint --application {application_id} --out 准考证-{view.ticket_number}.pdf"
        )


@seating.command("show")
@click.option("--session", "session_id", type=int, required=True)
@pass_ctx
def seating_show(c: Context, session_id: int) -> None:
    """显示一个场次的座位编排。"""
    from jlexam.services.arrangement import seat_plan

    view = seat_plan(c.actor(), session_id)
    lock = f"已由 {view.locked_by} 锁定" if view.locked else "未锁定"
    click.echo(f"{view.session}：{len(view.seats)} 人，随机种子 {view.seed}，{lock}")
    for x in view.seats:
        click.echo(
            f"  第{x.room_number:02d}考场 {x.room_name} {x.seat_number:>3} 号  报名 {x.application_id}  {x.name}"
        )


@seating.command("check")
@click.option("--session", "session_id", type=int, required=True)
@pass_ctx
def seating_check(c: Context, session_id: int) -> None:
    """用记录的随机种子重新计算编排并与现有编排比较（手工调整会列出）。"""
    from jlexam.services.arrangement import reproduce_seat_plan

    check = reproduce_seat_plan(c.actor(), session_id)
    if check.same:
        click.echo(f"用随机种子 {check.seed} 重新编排，结果与现有编排完全一致。")
    else:
        click.echo(f"有 {len(check.moved)} 名考生的座位与重新编排的结果不同（手工调整）：{check.moved}")


# --- staff ------------------------------------------------------------------------------------------------
@click.group()
def staff() -> None:
    """考务人员：名册、安排、锁定、调整、考务会。"""


@staff.command("list")
@pass_ctx
def staff_list(c: Context) -> None:
    from jlexam.services.staffing import list_staff

    for m in list_staff(c.actor()):
        until = f" 有效期至 {m.valid_until}" if m.valid_until else ""
        click.echo(f"{m.id:>4}  {m.name:<8} {m.roles_label}{until}")


@staff.command("add")
@click.argument("name")
@click.option(
    "--role", "roles", multiple=True, required=True, help="岗位，可多次给出：invigilator、assessor 等。"
)
@click.option("--employer", default="")
@click.option("--external", is_flag=True, help="非本机构正式职工。")
@click.option("--certificate", default="", help="考评员（督导员）证书编号。")
@click.option("--occupation", "occupations", multiple=True, help="可考评的职业编码，可多次给出。")
@click.option("--max-level", type=click.IntRange(1, 5), default=None, help="可考评的最高等级（1-5）。")
@click.option("--appointed-on", default=None, help="聘用日期 YYYY-MM-DD。")
@click.option("--valid-until", default=None, help="聘用有效期至 YYYY-MM-DD。")
@pass_ctx
def staff_add(
    c: Context,
    name: str,
    roles: tuple[str, ...],
    employer: str,
    external: bool,
    certificate: str,
    occupations: tuple[str, ...],
    max_level: int | None,
    appointed_on: str | None,
    valid_until: str | None,
) -> None:
    """登记考务人员。"""
    from jlexam.services.staffing import StaffInput, add_staff

    view = add_staff(
        c.actor(),
        StaffInput(
            name,
            roles,
            employer,
            not external,
            certificate,
            occupations,
            max_level,
            _date(appointed_on),
            _date(valid_until),
        ),
    )
    click.echo(f"已登记 {view.name}（编号 {view.id}，{view.roles_label}）。")


@staff.command("needs")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def staff_needs_cmd(c: Context, sitting_code: str) -> None:
    """按国家职业标准列出每个考场需要的监考员/考评员人数。"""
    from jlexam.services.staffing import STAFF_ROLES, staff_needs

    for n in staff_needs(c.actor(), sitting_code):
        mark = "✓" if n.satisfied else "✗"
        click.echo(
            f"{mark} 场次 {n.session_id} {n.session} {n.room_name}（考生 {n.candidates} 人）："
            f"{STAFF_ROLES[n.duty]} {n.have}/{n.needed}"
        )


@staff.command("assign")
@click.option("--session", "session_id", type=int, required=True)
@click.option("--staff", "staff_ref", required=True, help="人员编号或姓名。")
@click.option("--duty", required=True, help="职责：invigilator、assessor、chief_examiner 等。")
@click.option("--room", default=None, help="考场编号或名称（监考员、考评员必填）。")
@pass_ctx
def staff_assign(c: Context, session_id: int, staff_ref: str, duty: str, room: str | None) -> None:
    """安排考务人员（锁定前）。"""
    from jlexam.services.staffing import assign_staff

    view = assign_staff(c.actor(), session_id, staff_ref, duty, room)
    click.echo(
        f"已安排 {view.name} 在{view.session}{view.room_name}任{view.duty_label}（安排编号 {view.id}）。"
    )


@staff.command("assignments")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def staff_assignments(c: Context, sitting_code: str) -> None:
    from jlexam.services.staffing import list_assignments

    for a in list_assignments(c.actor(), sitting_code):
        click.echo(f"{a.id:>4}  {a.session} {a.room_name or '--'}  {a.duty_label} {a.name}")


@staff.command("problems")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def staff_problems(c: Context, sitting_code: str) -> None:
    """列出妨碍锁定的问题；没有问题时退出码为 0。"""
    from jlexam.services.staffing import arrangement_problems

    problems = arrangement_problems(c.actor(), sitting_code)
    if not problems:
        click.echo("考场编排和考务人员安排符合要求，可以锁定。")
        return
    for p in problems:
        click.echo(f"[{p.rule}] {p.message}")
    sys.exit(EXIT_CHECK_FAILED)


@staff.command("lock")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def staff_lock(c: Context, sitting_code: str) -> None:
    """主考/督导审定并锁定考场编排和考务人员（批次变为“已编排”）。"""
    from jlexam.services.staffing import lock_arrangement

    lock_arrangement(c.actor(), sitting_code)
    click.echo(f"已锁定认定批次 {sitting_code} 的考场编排和考务人员。")


@staff.command("change")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--reason", required=True, help="调整理由（002 第二十一条）。")
@click.option("--remove", "remove_id", type=int, default=None, help="取消的安排编号。")
@click.option("--add-session", type=int, default=None)
@click.option("--add-staff", default=None)
@click.option("--add-duty", default=None)
@click.option("--add-room", default=None)
@pass_ctx
def staff_change(
    c: Context,
    sitting_code: str,
    reason: str,
    remove_id: int | None,
    add_session: int | None,
    add_staff: str | None,
    add_duty: str | None,
    add_room: str | None,
) -> None:
    """主考/督导调整已锁定的考务人员安排（须说明理由，留审计记录）。"""
    from jlexam.services.staffing import change_staff

    add = None
    if add_session is not None or add_staff or add_duty:
        if add_session is None or not add_staff or not add_duty:
            raise click.UsageError("增加安排须同时给出 --add-session、--add-staff 和 --add-duty。")
        add = (add_session, add_staff, add_duty, add_room)
    view = change_staff(c.actor(), sitting_code, reason, remove=remove_id, add=add)
    click.echo(f"已调整：{view.description}（理由：{view.reason}，批准人 {view.approved_by}）。")


@staff.command("changes")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def staff_changes(c: Context, sitting_code: str) -> None:
    """列出锁定后的调整记录（考务人员和座位）。"""
    from jlexam.domain.china_time import china_time
    from jlexam.services.staffing import list_changes

    rows = list_changes(c.actor(), sitting_code)
    if not rows:
        click.echo("没有锁定后的调整记录。")
    for x in rows:
        click.echo(
            f"{x.id:>4}  {china_time(x.at):%Y-%m-%d %H:%M}  [{x.kind_label}] {x.description}"
            f"（理由：{x.reason}，批准人 {x.approved_by}）"
        )


@staff.command("briefing")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--at", "held_at", required=True, help="时间（北京时间）“2026-12-11 14:00”。")
@click.option("--place", required=True)
@click.option(
    "--attendee", "attendees", multiple=True, required=True, help="到会人员编号或姓名，可多次给出。"
)
@click.option("--notes", default="")
@pass_ctx
def staff_briefing(
    c: Context, sitting_code: str, held_at: str, place: str, attendees: tuple[str, ...], notes: str
) -> None:
    """登记考务会及到会人员（002 第二十三条）。"""
    from jlexam.services.staffing import record_briefing

    view = record_briefing(c.actor(), sitting_code, _china_datetime(held_at), place, list(attendees), notes)
    absent = f"；未到：{'、'.join(view.absent)}" if view.absent else ""
    click.echo(f"已登记考务会，到会 {len(view.attendees)} 人{absent}。")


# --- tickets ----------------------------------------------------------------------------------------------
@click.group()
def tickets() -> None:
    """准考证和考场文书。"""


@tickets.command("issue")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def tickets_issue(c: Context, sitting_code: str) -> None:
    """按锁定的考场编排制发准考证号（批次变为“已发准考证”）。"""
    from jlexam.services.tickets import issue_tickets

    click.echo(f"已制发准考证 {issue_tickets(c.actor(), sitting_code)} 张。")


@tickets.command("list")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def tickets_list(c: Context, sitting_code: str) -> None:
    from jlexam.services.tickets import list_tickets

    for t in list_tickets(c.actor(), sitting_code):
        click.echo(f"{t.number}  {t.name:<8} {t.masked_id}  {t.room} {t.seat:02d} 号")


@tickets.command("pdf")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def tickets_pdf(c: Context, sitting_code: str, out: Path) -> None:
    """生成准考证 PDF（含照片和签名二维码）。"""
    from jlexam.services.tickets import write_tickets

    count = write_tickets(c.actor(), sitting_code, out)
    click.echo(f"已生成准考证 {count} 张：{out}")


@tickets.command("reprint")
@click.option("--application", "application_id", type=int, required=True, help="报名编号。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def tickets_reprint(c: Context, application_id: int, out: Path) -> None:
    """重新打印一名考生的准考证（座位调整后、遗失补打；号码不变，按现在的座位）。"""
    from jlexam.services.tickets import reprint_ticket

    number = reprint_ticket(c.actor(), application_id, out)
    click.echo(f"已重新打印准考证 {number}：{out}")


@tickets.command("room-docs")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@pass_ctx
def tickets_room_docs(c: Context, sitting_code: str, out: Path) -> None:
    """生成考场门贴、座位表、签到表和考场记录表。"""
    from jlexam.services.tickets import write_room_documents

    for path in write_room_documents(c.actor(), sitting_code, out):
        click.echo(f"已生成 {path}")


@tickets.command("records")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def tickets_records(c: Context, sitting_code: str, out: Path) -> None:
    """生成已填写的考场记录表（缺考、违纪、突发事件）。"""
    from jlexam.services.tickets import write_room_records

    click.echo(f"已生成 {write_room_records(c.actor(), sitting_code, out)}")


# --- the exam day -----------------------------------------------------------------------------------------
@click.group()
def checkin() -> None:
    """考试签到、缺考、违纪和突发事件。"""


def _show(result) -> None:  # type: ignore[no-untyped-def]
    colour = "green" if result.ok else "red"
    click.secho(result.message, fg=colour)


@checkin.command("scan")
@click.option("--session", "session_id", type=int, required=True)
@click.argument("token", required=False)
@pass_ctx
def checkin_scan(c: Context, session_id: int, token: str | None) -> None:
    """扫码签到：TOKEN 为扫描得到的文本；省略时逐行从标准输入读取。被拒绝时退出码为 3。"""
    from jlexam.services.checkin import check_in_scan

    actor = c.actor()
    lines = [token] if token else [line.strip() for line in sys.stdin if line.strip()]
    refused = 0
    for text in lines:
        result = check_in_scan(actor, session_id, text)
        _show(result)
        refused += not result.ok
    if refused:
        sys.exit(EXIT_CHECK_FAILED)


@checkin.command("manual")
@click.option("--session", "session_id", type=int, required=True)
@click.option("--ticket", "ticket_number", default=None, help="准考证号。")
@click.option("--name", default=None, help="姓名（本场次内唯一时）。")
@click.option("--reason", required=True, help="人工签到的理由。")
@pass_ctx
def checkin_manual(
    c: Context, session_id: int, ticket_number: str | None, name: str | None, reason: str
) -> None:
    """按准考证号或姓名人工签到（须说明理由）。被拒绝时退出码为 3。"""
    from jlexam.services.checkin import check_in_manual

    result = check_in_manual(c.actor(), session_id, reason, ticket_number=ticket_number, name=name)
    _show(result)
    if not result.ok:
        sys.exit(EXIT_CHECK_FAILED)


@checkin.command("absences")
@click.option("--session", "session_id", type=int, required=True)
@pass_ctx
def checkin_absences(c: Context, session_id: int) -> None:
    """停止入场后，把未签到的考生登记为缺考。"""
    from jlexam.services.checkin import record_absences

    click.echo(f"已登记缺考 {record_absences(c.actor(), session_id)} 人。")


@checkin.command("event")
@click.option("--session", "session_id", type=int, required=True)
@click.option("--room", required=True)
@click.option("--kind", type=click.Choice(["misconduct", "incident"]), required=True)
@click.option("--description", required=True)
@click.option("--ticket", "ticket_number", default=None, help="违纪考生的准考证号。")
@click.option("--signed-by", "signed_by", multiple=True, help="签名的监考员（默认为该考场的考务人员）。")
@pass_ctx
def checkin_event(
    c: Context,
    session_id: int,
    room: str,
    kind: str,
    description: str,
    ticket_number: str | None,
    signed_by: tuple[str, ...],
) -> None:
    """登记考场违纪或突发事件。"""
    from jlexam.services.checkin import record_room_event

    event_id = record_room_event(
        c.actor(), session_id, room, kind, description, ticket_number=ticket_number, signed_by=list(signed_by)
    )
    click.echo(f"已登记（记录编号 {event_id}）。")


@checkin.command("status")
@click.option("--session", "session_id", type=int, required=True)
@pass_ctx
def checkin_status(c: Context, session_id: int) -> None:
    from jlexam.services.checkin import checkin_summary

    s = checkin_summary(c.actor(), session_id)
    click.echo(
        f"应到 {s.expected} 人，已签到 {s.checked_in} 人（人工 {s.manual}），缺考 {s.absent} 人，未处理 {s.outstanding} 人。"
    )


@checkin.command("held")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def checkin_held(c: Context, sitting_code: str) -> None:
    """考试结束：把认定批次标记为“已考试”。"""
    from jlexam.services.checkin import mark_held

    mark_held(c.actor(), sitting_code)
    click.echo(f"认定批次 {sitting_code} 已标记为已考试。")


COMMANDS = [sites, seating, staff, tickets, checkin]
