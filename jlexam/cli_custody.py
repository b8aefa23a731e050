"""``jlexam custody ...``: paper packets and their custody steps from the shell (issue 6)."""

from __future__ import annotations

from datetime import datetime

import click

from jlexam.cli import Context, pass_ctx
from jlexam.domain.china_time import CHINA_TZ, china_time
from jlexam.domain.custody import EventKind


@click.group()
def custody() -> None:
    """试卷流转。"""


@custody.command("add-packet")
@click.option("--sitting", "sitting_code", required=True)
@click.option("--code", required=True, help="试卷袋编号。")
@click.option("--paper", "paper_code", required=True, help="题库试卷代码。")
@click.option("--version", "paper_version", default="1", show_default=True)
@click.option("--copies", type=int, required=True)
@pass_ctx
def add_packet(
    c: Context, sitting_code: str, code: str, paper_code: str, paper_version: str, copies: int
) -> None:
    from jlexam.services.custody import create_packet

    create_packet(c.actor(), sitting_code, code, paper_code, paper_version, copies)
    click.echo(f"已登记试卷袋 {code}。")


@custody.command("record")
@click.argument("packet")
@click.argument("kind", type=click.Choice([k.value for k in EventKind]))
@click.option("--at", "at_text", default=None, help="北京时间，如 2026-12-12 08:30；默认现在。")
@click.option("--place", required=True)
@click.option("--person", "persons", multiple=True, required=True, help="责任人，可重复。")
@click.option("--witness", "witnesses", multiple=True, help="启封见证考生，可重复。")
@click.option("--seal", "seal_number", default="")
@click.option("--copies", type=int, default=None)
@click.option("--from", "from_place", default="")
@click.option("--note", default="")
@pass_ctx
def record(
    c: Context,
    packet: str,
    kind: str,
    at_text: str | None,
    place: str,
    persons: tuple[str, ...],
    witnesses: tuple[str, ...],
    seal_number: str,
    copies: int | None,
    from_place: str,
    note: str,
) -> None:
    """登记一个流转环节（PACKET 为编号，或扫描标签得到的令牌）。"""
    from jlexam.services.custody import packet_from_scan, record_event

    actor = c.actor()
    code = packet_from_scan(actor, packet) if packet.count(".") == 2 else packet
    at = china_time(datetime.fromisoformat(at_text)) if at_text else datetime.now(CHINA_TZ)
    seq = record_event(
        actor,
        code,
        kind,
        at,
        place,
        persons,
        witnesses=witnesses,
        seal_number=seal_number,
        copies=copies,
        from_place=from_place,
        note=note,
    )
    click.echo(f"已登记 {code} 第 {seq} 个环节：{EventKind(kind).label}。")


@custody.command("list")
@click.option("--sitting", "sitting_code", required=True)
@pass_ctx
def list_packets(c: Context, sitting_code: str) -> None:
    from jlexam.services.custody import list_packets as packets

    for p in packets(c.actor(), sitting_code):
        flag = "；".join(a.message for a in p.anomalies) or "无异常"
        click.echo(f"{p.code:<16} {p.state_label:<6} {p.place:<12} 封条 {p.seal_number or '-':<10} {flag}")
