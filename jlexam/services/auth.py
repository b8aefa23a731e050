"""Logging in: argon2 password check and the lockout after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.errors import JlexamError
from jlexam.security.passwords import hash_password, needs_rehash, verify_password
from jlexam.security.roles import Role
from jlexam.services.base import Actor, utcnow, write_audit
from jlexam.store.database import Database
from jlexam.store.models import User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class LoginFailed(JlexamError):
    """Wrong user name or password, a locked or a disabled account."""


def login(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    """Check the password; lock the account for 15 minutes after 5 failures in a row (audited)."""
    now = now or utcnow()
    with db.transaction() as s:
        user = _usable_user(s, username.strip(), now)
        if verify_password(user.password_hash, password):
            failure = None
            actor = _succeed(s, db, user, password, now)
        else:
            failure = _fail(s, user, now)  # committed: the counter must survive the refusal
    if failure is not None:
        raise LoginFailed(failure)
    return actor


def _usable_user(s: Session, username: str, now: datetime) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise LoginFailed("用户名或密码错误。")
    if not user.active:
        raise LoginFailed(f"账户 {user.username} 已停用。请联系系统管理员。")
    if user.locked_until is not None and user.locked_until > now:
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        raise LoginFailed(
            f"账户 {user.username} 因连续输错密码已被锁定，请 {minutes} 分钟后再试，或请系统管理员解锁。"
        )
    return user


def _succeed(s: Session, db: Database, user: User, password: str, now: datetime) -> Actor:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    write_audit(s, user.username, "auth.login", "user", user.id, "登录成功", now)
    return Actor(
        db=db,
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r) for r in user.role_names),
    )


def _fail(s: Session, user: User, now: datetime) -> str:
    user.failed_logins += 1
    summary = f"密码错误（连续第 {user.failed_logins} 次）"
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0
        write_audit(s, user.username, "auth.locked", "user", user.id, summary + "，账户锁定 15 分钟", now)
        return f"用户名或密码错误。账户 {user.username} 已被锁定 15 分钟。"
    write_audit(s, user.username, "auth.failed", "user", user.id, summary, now)
    left = MAX_FAILED_LOGINS - user.failed_logins
    return f"用户名或密码错误。再输错 {left} 次，账户将被锁定 15 分钟。"
