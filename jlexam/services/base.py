"""What every use case shares: the acting user, one transaction, the permission check and the audit event.

A use case is a function decorated with ``@use_case("permission")`` whose first parameter is a UnitOfWork.
Callers (windows, CLI, tests) pass an ``Actor`` instead; the decorator checks the permission before anything
else, opens one write transaction, runs the function, and commits — or rolls everything back, audit event
included, when anything fails.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from jlexam.errors import PermissionDenied
from jlexam.security.roles import Role, has_permission, permission_label, roles_holding
from jlexam.services import retention_guard  # noqa: F401  (installs the guard on every session)
from jlexam.store import chain
from jlexam.store.database import Database
from jlexam.store.models import AuditEvent

if TYPE_CHECKING:
    from jlexam.security.fieldcrypto import FieldCipher
    from jlexam.security.keystore import KeyStore

P = ParamSpec("P")
R = TypeVar("R")

AUDIT_CHAIN = "audit"
_FULL_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")


_simulated: dict[str, datetime] = {}  # the demo's story clock (set_simulated_time); empty in real use
_TICK = timedelta(seconds=1)


def utcnow() -> datetime:
    """The services' clock: the real time, or while the demo tells its story, the simulated one."""
    at = _simulated.get("at")
    if at is None:
        return datetime.now(UTC)
    _simulated["at"] = at + _TICK  # every reading moves on, so the audit trail keeps its order
    return at


def set_simulated_time(at: datetime | None) -> None:
    """For ``jlexam demo`` only: the weeks of a sitting are told in seconds, so each stage is stamped at a
    plausible moment (the seat plan locked before the exam, scores after it). None restores the real clock.
    The simulated time never goes back (a moment earlier than the clock already reads is ignored) and never
    runs ahead of the real one, so what is recorded after the demo keeps the audit trail in order."""
    if at is None:
        _simulated.clear()
        return
    at = min(at.astimezone(UTC), datetime.now(UTC))
    current = _simulated.get("at")
    if current is None or at > current:
        _simulated["at"] = at


@dataclass(frozen=True)
class Actor:
    """Who acts, with which roles, on which database. Obtained from ``services.auth.login``."""

    db: Database
    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]

    def can(self, permission: str) -> bool:
        return has_permission(self.roles, permission)


@dataclass
class UnitOfWork:
    session: Session
    actor: Actor
    now: datetime = field(default_factory=utcnow)

    def audit(self, action: str, entity: str, entity_id: object = "", summary: str = "") -> AuditEvent:
        """Append an audit event to the chain inside this transaction. Full ID numbers are masked."""
        return write_audit(self.session, self.actor.username, action, entity, entity_id, summary, self.now)

    @property
    def keys(self) -> KeyStore:
        return keystore_for(self.actor.db)

    @property
    def crypto(self) -> FieldCipher:
        return cipher_for(self.actor.db)


def mask_full_ids(text: str) -> str:
    """An audit summary never holds a full resident ID number (002 §31)."""
    return _FULL_ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(2)[-4:], text)


def audit_fields(event: AuditEvent) -> dict[str, Any]:
    """The fields an audit link's hash covers."""
    return {
        "at": event.at.astimezone(UTC),
        "username": event.username,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "summary": event.summary,
    }


def write_audit(
    session: Session,
    username: str,
    action: str,
    entity: str,
    entity_id: object,
    summary: str,
    now: datetime,
) -> AuditEvent:
    # Hashed at microsecond precision in UTC, which every database gives back unchanged.
    event = AuditEvent(
        at=now.astimezone(UTC),
        username=username,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=mask_full_ids(summary),
    )
    link = chain.append(session, AUDIT_CHAIN, audit_fields(event))
    event.seq, event.prev_hash, event.hash = link.seq, link.prev_hash, link.hash
    session.add(event)
    return event


# --- the registry of use cases, so tests can show every refusal -------------------------------------------
USE_CASES: dict[str, tuple[str, Callable[..., Any]]] = {}


def require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        holders = "、".join(r.label for r in sorted(roles_holding(permission)))
        raise PermissionDenied(
            f"用户 {actor.username} 无权{permission_label(permission)}。此操作需要以下角色之一：{holders}。"
            "如需此权限，请联系系统管理员。"
        )


def use_case(
    permission: str, *, backup: str | None = None
) -> Callable[[Callable[Concatenate[UnitOfWork, P], R]], Callable[Concatenate[Actor, P], R]]:
    """Make ``fn(uow, ...)`` callable as ``fn(actor, ...)`` with permission check and one transaction.

    ``backup`` names a bulk or irreversible operation: the SQLite database is backed up before it starts.
    """

    def decorate(fn: Callable[Concatenate[UnitOfWork, P], R]) -> Callable[Concatenate[Actor, P], R]:
        @functools.wraps(fn)
        def run(actor: Actor, *args: P.args, **kwargs: P.kwargs) -> R:
            require(actor, permission)
            if backup is not None:
                from jlexam.store.backup import backup_before

                backup_before(actor.db, backup)
            with actor.db.transaction() as session:
                return fn(UnitOfWork(session=session, actor=actor), *args, **kwargs)

        run.permission = permission  # type: ignore[attr-defined]
        USE_CASES[f"{fn.__module__}.{fn.__qualname__}"] = (permission, run)
        return run

    return decorate


def query(
    permission: str,
) -> Callable[[Callable[Concatenate[Session, Actor, P], R]], Callable[Concatenate[Actor, P], R]]:
    """Like ``use_case`` for reads: permission check, then a read-only session ``fn(session, actor, ...)``."""

    def decorate(fn: Callable[Concatenate[Session, Actor, P], R]) -> Callable[Concatenate[Actor, P], R]:
        @functools.wraps(fn)
        def run(actor: Actor, *args: P.args, **kwargs: P.kwargs) -> R:
            require(actor, permission)
            with actor.db.reading() as session:
                return fn(session, actor, *args, **kwargs)

        run.permission = permission  # type: ignore[attr-defined]
        USE_CASES[f"{fn.__module__}.{fn.__qualname__}"] = (permission, run)
        return run

    return decorate


# --- keys, one KeyStore per database ------------------------------------------------------------------------
_keystores: dict[str, KeyStore] = {}


def keystore_for(db: Database) -> KeyStore:
    from jlexam.security.keystore import KeyStore

    namespace = db.database_id
    if namespace not in _keystores:
        _keystores[namespace] = KeyStore(namespace)
    return _keystores[namespace]


def cipher_for(db: Database) -> FieldCipher:
    from jlexam.security.fieldcrypto import FieldCipher

    return FieldCipher(keystore_for(db).data_key())


def forget_keystores() -> None:
    """Drop cached keys (after the keyring was reconfigured or keys imported)."""
    _keystores.clear()
