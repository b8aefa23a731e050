"""Reading and verifying the audit trail (every state change leaves one hash-chained event)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jlexam.services.base import AUDIT_CHAIN, Actor, audit_fields, query
from jlexam.store import chain
from jlexam.store.models import AuditEvent, ChainHead


@dataclass(frozen=True)
class ChainReport:
    chain: str  # "audit", later one per custody chain
    label: str  # Chinese name for the report
    links: int
    problems: list[chain.ChainProblem]

    @property
    def intact(self) -> bool:
        return not self.problems


def _head(s: Session, name: str) -> tuple[int, str] | None:
    row = s.get(ChainHead, name)
    return (row.seq, row.hash) if row else None


def verify_audit_chain(s: Session) -> ChainReport:
    events = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000)
    rows = ((e.seq, e.prev_hash, e.hash, audit_fields(e)) for e in events)
    result = chain.verify(rows, _head(s, AUDIT_CHAIN))
    return ChainReport(AUDIT_CHAIN, "审计日志", result.links, result.problems)


@query("audit.verify")
def verify_chains(s: Session, actor: Actor) -> list[ChainReport]:
    """Recompute every hash chain (the audit trail and each paper packet's custody log).

    Each report names the first broken link.
    """
    from jlexam.services.custody import verify_custody_chains  # custody builds on this module

    return [verify_audit_chain(s), *verify_custody_chains(s)]


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str
    summary: str


@query("audit.view")
def search_events(
    s: Session,
    actor: Actor,
    text: str = "",
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50_000,
) -> list[AuditRow]:
    """Audit events newest first, filtered by free text (user, action, entity or summary) and time."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if text.strip():
        like = f"%{text.strip()}%"
        stmt = stmt.where(
            or_(
                AuditEvent.username.like(like),
                AuditEvent.action.like(like),
                AuditEvent.entity.like(like),
                AuditEvent.entity_id.like(like),
                AuditEvent.summary.like(like),
            )
        )
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    return [
        AuditRow(e.seq, e.at, e.username, e.action, e.entity, e.entity_id, e.summary) for e in s.scalars(stmt)
    ]
