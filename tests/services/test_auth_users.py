from datetime import timedelta

import pytest
from sqlalchemy import select

from jlexam.errors import PermissionDenied, StateError, ValidationError
from jlexam.security.roles import Role
from jlexam.services import users
from jlexam.services.auth import LoginFailed, login
from jlexam.services.base import utcnow
from jlexam.store.models import AuditEvent, User
from tests.conftest import PASSWORD


def test_first_admin_only_once(db):
    users.create_first_admin(db, "admin", PASSWORD)
    with pytest.raises(StateError, match="已有用户"):
        users.create_first_admin(db, "admin2", PASSWORD)


def test_weak_password_refused(db):
    with pytest.raises(ValidationError):
        users.create_first_admin(db, "admin", "short")
    assert not users.has_users(db)


def test_login_and_roles(db, admin):
    assert admin.roles == frozenset({Role.ADMIN})
    users.create_user(admin, "kaowu", "考务甲", PASSWORD, frozenset({Role.EXAM_OFFICE, Role.SUPERVISOR}))
    actor = login(db, "kaowu", PASSWORD)
    assert actor.roles == frozenset({Role.EXAM_OFFICE, Role.SUPERVISOR})
    assert actor.display_name == "考务甲"


def test_lockout_after_five_failures_for_fifteen_minutes(db, admin):
    users.create_user(admin, "clerk", "数据员", PASSWORD, frozenset({Role.DATA_CLERK}))
    now = utcnow()
    for i in range(4):
        with pytest.raises(LoginFailed, match=f"再输错 {4 - i} 次"):
            login(db, "clerk", "wrong-password1", now=now)
    with pytest.raises(LoginFailed, match="已被锁定 15 分钟"):
        login(db, "clerk", "wrong-password1", now=now)
    # the right password does not open a locked account
    with pytest.raises(LoginFailed, match="锁定"):
        login(db, "clerk", PASSWORD, now=now + timedelta(minutes=14))
    actor = login(db, "clerk", PASSWORD, now=now + timedelta(minutes=15, seconds=1))
    assert actor.username == "clerk"
    with db.reading() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.username == "clerk")))
    assert actions.count("auth.failed") == 4 and actions.count("auth.locked") == 1


def test_admin_unlocks(db, admin):
    users.create_user(admin, "clerk", "数据员", PASSWORD, frozenset({Role.DATA_CLERK}))
    for _ in range(5):
        with pytest.raises(LoginFailed):
            login(db, "clerk", "nope-nope-1")
    users.unlock_user(admin, "clerk")
    assert login(db, "clerk", PASSWORD).username == "clerk"


def test_disabled_user_cannot_log_in(db, admin):
    users.create_user(admin, "gone", "离职", PASSWORD, frozenset({Role.EXAM_OFFICE}))
    users.set_active(admin, "gone", False)
    with pytest.raises(LoginFailed, match="已停用"):
        login(db, "gone", PASSWORD)


def test_unknown_user_same_message_as_wrong_password(db, admin):
    with pytest.raises(LoginFailed, match=r"^用户名或密码错误。$"):
        login(db, "nobody", PASSWORD)


def test_last_admin_is_kept(db, admin):
    with pytest.raises(StateError, match="唯一的系统管理员"):
        users.set_roles(admin, "admin", frozenset({Role.EXAM_OFFICE}))
    with pytest.raises(StateError):
        users.set_active(admin, "admin", False)


def test_password_is_hashed_with_argon2(db, admin):
    with db.reading() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_non_admin_cannot_manage_users(db, actor_for):
    office = actor_for(Role.EXAM_OFFICE)
    with pytest.raises(PermissionDenied, match="系统管理员"):
        users.create_user(office, "x1", "x", PASSWORD, frozenset({Role.ADMIN}))


def test_change_own_password(db, admin):
    with pytest.raises(ValidationError, match="原密码不正确"):
        users.change_own_password(admin, "wrong", "NewPassw0rd")
    users.change_own_password(admin, PASSWORD, "NewPassw0rd")
    assert login(db, "admin", "NewPassw0rd").username == "admin"
