"""Hash chains: each link holds the SHA-256 of its predecessor, so an edit behind the application's back shows.

The audit trail is one chain; issue-6 custody logs are one chain per paper packet. A link's hash covers its
sequence number, its predecessor's hash and its fields in canonical JSON.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.store.models import ChainHead

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def link_hash(seq: int, prev_hash: str, fields: Mapping[str, Any]) -> str:
    body = {"seq": seq, "prev": prev_hash, **{k: _canonical(v) for k, v in fields.items()}}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    seq: int
    prev_hash: str
    hash: str


def append(session: Session, chain: str, fields: Mapping[str, Any]) -> Link:
    """Reserve the next link of ``chain`` for ``fields``; the caller stores seq, prev_hash and hash with them.

    The head row is locked FOR UPDATE (PostgreSQL); SQLite's BEGIN IMMEDIATE already serialises writers.
    """
    head = session.scalars(select(ChainHead).where(ChainHead.chain == chain).with_for_update()).first()
    if head is None:
        head = ChainHead(chain=chain, seq=0, hash=GENESIS)
        session.add(head)
    seq = head.seq + 1
    digest = link_hash(seq, head.hash, fields)
    link = Link(seq=seq, prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    return link


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str  # Chinese, names the link and what is wrong


@dataclass(frozen=True)
class Verification:
    links: int
    problems: list[ChainProblem]


def verify(
    rows: Iterable[tuple[int, str, str, Mapping[str, Any]]], head: tuple[int, str] | None
) -> Verification:
    """Check links given in seq order as (seq, prev_hash, hash, fields) against each other and the head.

    The problems come first broken link first; none means the chain is intact.
    """
    problems: list[ChainProblem] = []
    links = 0
    expected_seq, expected_prev = 1, GENESIS
    for seq, prev_hash, stored, fields in rows:
        if seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq, f"第 {expected_seq} 条记录缺失（下一条为第 {seq} 条）：记录被删除。"
                )
            )
        elif prev_hash != expected_prev:
            problems.append(
                ChainProblem(seq, f"第 {seq} 条记录与前一条记录的链接不符：前一条记录被修改或删除。")
            )
        if link_hash(seq, prev_hash, fields) != stored:
            problems.append(ChainProblem(seq, f"第 {seq} 条记录的内容与其哈希不符：记录被修改。"))
        expected_seq, expected_prev = seq + 1, stored
        links += 1
    last_seq = expected_seq - 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != last_seq:
            problems.append(
                ChainProblem(
                    last_seq + 1,
                    f"链头记载 {head_seq} 条记录，实际只有 {last_seq} 条：末尾记录被删除或插入。",
                )
            )
        elif last_seq and head_hash != expected_prev:
            problems.append(ChainProblem(last_seq, f"第 {last_seq} 条记录与链头不符：末尾记录被修改。"))
    elif last_seq:
        problems.append(ChainProblem(1, "缺少链头记录：链头被删除。"))
    return Verification(links, problems)
