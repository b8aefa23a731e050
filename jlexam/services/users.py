"""Users and their roles (admin only), the first admin of a new database, and one's own password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jlexam.errors import NotFound, StateError, ValidationError
from jlexam.security.passwords import check_password_strength, hash_password, verify_password
from jlexam.security.roles import Role
from jlexam.services.base import Actor, UnitOfWork, query, use_case, utcnow, write_audit
from jlexam.store.database import Database
from jlexam.store.models import User, UserRole


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def _view(user: User) -> UserView:
    return UserView(
        user.id,
        user.username,
        user.display_name,
        frozenset(Role(r) for r in user.role_names),
        user.active,
        user.locked_until,
        user.last_login_at,
    )


def _check_username(username: str) -> str:
    name = username.strip()
    if not (2 <= len(name) <= 64) or any(c.isspace() for c in name):
        raise ValidationError("用户名须为 2 到 64 个字符，且不能包含空格。")
    return name


def _get(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户名为 {username} 的用户。")
    return user


def _new_user(username: str, display_name: str, password: str, roles: frozenset[Role], now: datetime) -> User:
    if not roles:
        raise ValidationError("每个用户至少要有一个角色。")
    check_password_strength(password)
    user = User(
        username=_check_username(username),
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
        created_at=now,
    )
    user.roles = [UserRole(role=r.value) for r in sorted(roles)]
    return user


def has_users(db: Database) -> bool:
    with db.reading() as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


def create_first_admin(db: Database, username: str, password: str, display_name: str = "系统管理员") -> None:
    """The first admin of an empty database: allowed only while no user exists (so not an open door)."""
    now = utcnow()
    with db.transaction() as s:
        if s.scalar(select(func.count()).select_from(User)):
            raise StateError("数据库已有用户，不能再创建初始管理员。请用管理员账户登录后添加用户。")
        user = _new_user(username, display_name, password, frozenset({Role.ADMIN}), now)
        s.add(user)
        s.flush()
        write_audit(s, user.username, "user.create", "user", user.id, f"创建初始管理员 {user.username}", now)


@use_case("users.manage")
def create_user(
    uow: UnitOfWork, username: str, display_name: str, password: str, roles: frozenset[Role]
) -> UserView:
    if uow.session.scalar(select(User).where(User.username == username.strip())):
        raise ValidationError(f"用户名 {username} 已存在，请换一个。")
    user = _new_user(username, display_name, password, roles, uow.now)
    uow.session.add(user)
    uow.session.flush()
    labels = "、".join(r.label for r in sorted(roles))
    uow.audit("user.create", "user", user.id, f"创建用户 {user.username}（{labels}）")
    return _view(user)


@use_case("users.manage")
def set_roles(uow: UnitOfWork, username: str, roles: frozenset[Role]) -> UserView:
    user = _get(uow.session, username)
    if not roles:
        raise ValidationError("每个用户至少要有一个角色。")
    if Role.ADMIN in user.role_names and Role.ADMIN not in roles:
        _keep_one_admin(uow.session, user)
    old = "、".join(Role(r).label for r in sorted(user.role_names))
    user.roles = [UserRole(role=r.value) for r in sorted(roles)]
    new = "、".join(r.label for r in sorted(roles))
    uow.audit("user.roles", "user", user.id, f"{user.username} 的角色由 {old} 改为 {new}")
    return _view(user)


def _keep_one_admin(s: Session, user: User) -> None:
    admins = s.scalar(
        select(func.count()).select_from(UserRole).join(User).where(UserRole.role == "admin", User.active)
    )
    if admins <= 1:
        raise StateError(
            f"{user.username} 是唯一的系统管理员，不能取消其管理员角色或停用。请先指定另一位管理员。"
        )


@use_case("users.manage")
def set_active(uow: UnitOfWork, username: str, active: bool) -> UserView:
    user = _get(uow.session, username)
    if not active and Role.ADMIN in user.role_names:
        _keep_one_admin(uow.session, user)
    user.active = active
    uow.audit("user.active", "user", user.id, f"{'启用' if active else '停用'}用户 {user.username}")
    return _view(user)


@use_case("users.manage")
def unlock_user(uow: UnitOfWork, username: str) -> UserView:
    user = _get(uow.session, username)
    user.locked_until = None
    user.failed_logins = 0
    uow.audit("user.unlock", "user", user.id, f"解锁用户 {user.username}")
    return _view(user)


@use_case("users.manage")
def reset_password(uow: UnitOfWork, username: str, new_password: str) -> None:
    user = _get(uow.session, username)
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    uow.audit("user.reset_password", "user", user.id, f"重置用户 {user.username} 的密码")


@query("users.manage")
def list_users(s: Session, actor: Actor) -> list[UserView]:
    return [_view(u) for u in s.scalars(select(User).order_by(User.username))]


def change_own_password(actor: Actor, old_password: str, new_password: str) -> None:
    """Every user may change their own password; no permission needed beyond knowing the old one."""
    with actor.db.transaction() as s:
        user = s.get(User, actor.user_id)
        if user is None or not verify_password(user.password_hash, old_password):
            raise ValidationError("原密码不正确。")
        check_password_strength(new_password)
        user.password_hash = hash_password(new_password)
        write_audit(s, user.username, "user.change_password", "user", user.id, "修改本人密码", utcnow())
