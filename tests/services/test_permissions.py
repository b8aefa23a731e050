"""Every use case refuses every role that does not hold its permission, before touching anything."""

import importlib
import pkgutil

import pytest
from sqlalchemy import func, select

import jlexam.services
from jlexam.errors import PermissionDenied
from jlexam.security.roles import PERMISSIONS, Role, has_permission
from jlexam.services.base import USE_CASES
from jlexam.store.models import AuditEvent

for module in pkgutil.iter_modules(jlexam.services.__path__):
    importlib.import_module(f"jlexam.services.{module.name}")


def test_every_use_case_names_a_known_permission():
    assert USE_CASES, "no use cases registered"
    for name, (permission, _) in USE_CASES.items():
        assert permission in PERMISSIONS, name


@pytest.mark.parametrize("role", list(Role))
def test_refusals(db, actor_for, role):
    actor = actor_for(role)
    with db.reading() as s:
        events_before = s.scalar(select(func.count()).select_from(AuditEvent))
    refused = 0
    for name, (permission, fn) in sorted(USE_CASES.items()):
        if has_permission(actor.roles, permission):
            continue
        with pytest.raises(PermissionDenied) as info:
            fn(actor)  # no arguments at all: the permission check must come first
        assert actor.username in info.value.message, name
        refused += 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events_before
    assert refused > 0 or role is Role.ADMIN


def test_matrix_spot_checks():
    assert has_permission(frozenset({Role.ADMIN}), "users.manage")
    assert not has_permission(frozenset({Role.EXAM_OFFICE}), "users.manage")
    assert has_permission(frozenset({Role.DATA_CLERK, Role.EXAM_OFFICE}), "keys.export_public")
    assert not has_permission(frozenset({Role.SUPERVISOR}), "candidates.edit")
