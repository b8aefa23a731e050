"""The workflow navigation: pages a role may not use are absent; unbuilt stages say so plainly."""

import dataclasses

import pytest
from PySide6.QtCore import Qt

from jlexam.security.roles import Role
from ui.navigation import KEY_ROLE, STAGES
from ui.pages.placeholder import PlaceholderPage


def _keys(window):  # type: ignore[no-untyped-def]
    items = [window.navigation.list.item(i) for i in range(window.navigation.list.count())]
    return [item.data(KEY_ROLE) for item in items if item.data(KEY_ROLE)]


def _labels(window):  # type: ignore[no-untyped-def]
    return [window.navigation.list.item(i).text().strip() for i in range(window.navigation.list.count())]


def test_admin_sees_system_pages_not_candidate_work(gui_admin, make_window):
    window = make_window(gui_admin)
    keys = _keys(window)
    assert {"institution", "audit", "settings"} <= set(keys)
    assert "registration" not in keys and "scores" not in keys
    assert not any("报名审核" in label for label in _labels(window))


@pytest.mark.parametrize(
    ("role", "present", "absent"),
    [
        (Role.EXAM_OFFICE, {"institution", "registration", "arrangement", "scores", "settings"}, {"audit", "upload"}),
        (Role.SUPERVISOR, {"registration", "publicity", "certificates", "audit"}, set()),
        (Role.DATA_CLERK, {"institution", "upload", "archive", "audit"}, {"registration", "arrangement", "scores"}),
    ],
)
def test_pages_by_role(gui_actor_for, make_window, role, present, absent):
    window = make_window(gui_actor_for(role))
    keys = set(_keys(window))
    assert present <= keys
    assert not (absent & keys)
    # the hidden ones are not merely invisible: no page can be opened for them
    for key in absent:
        assert not window.navigation.select(key)


def test_order_follows_the_workflow(gui_actor_for, make_window):
    window = make_window(gui_actor_for(Role.EXAM_OFFICE, Role.SUPERVISOR, Role.DATA_CLERK, Role.ADMIN))
    assert _keys(window) == [s.key for s in STAGES]


def test_every_stage_has_its_page_and_an_unbuilt_one_would_say_so(qtbot, gui_actor_for, make_window):
    assert all(s.page for s in STAGES)  # 档案 (issue 9) was the last stage to be built
    window = make_window(gui_actor_for(Role.DATA_CLERK))
    stage = dataclasses.replace(STAGES[-3], key="future", page=None)
    page = PlaceholderPage(window.ctx, stage)
    qtbot.addWidget(page)
    texts = " ".join(label.text() for label in page.findChildren(type(page.title)))
    assert "本阶段尚未开发" in texts and stage.summary in texts


def test_keyboard_moves_between_pages(qtbot, gui_admin, make_window):
    window = make_window(gui_admin)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    window.navigation.select("institution")
    target = window.current_page()
    qtbot.keyClick(target, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.navigation.current_key() == _keys(window)[1]
    qtbot.keyClick(window.current_page(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.navigation.current_key() == "institution"
    qtbot.keyClick(window.current_page(), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.navigation.current_key() == _keys(window)[3]


def test_pages_show_what_blocks_the_next_step(qtbot, gui_admin, make_window):
    window = make_window(gui_admin)
    window.navigation.select("institution")
    page = window.current_page()
    qtbot.waitUntil(lambda: any("尚未登记机构信息" in b.label.text() for b in page.blocker_banners), timeout=5_000)


def test_settings_tabs_by_role(qtbot, gui_admin, gui_actor_for, make_window):
    admin_window = make_window(gui_admin)
    admin_window.navigation.select("settings")
    assert "用户与角色" in admin_window.current_page().tab_titles()
    clerk_window = make_window(gui_actor_for(Role.DATA_CLERK))
    clerk_window.navigation.select("settings")
    titles = clerk_window.current_page().tab_titles()
    assert "用户与角色" not in titles and "语言与密码" in titles


def test_window_size_and_page_are_remembered(qtbot, gui_admin, make_window):
    from PySide6.QtCore import QSettings

    window = make_window(gui_admin)
    window.navigation.select("audit")
    window.splitter.setSizes([260, window.width() - 260])
    wanted = window.splitter.sizes()[0]
    window.close()
    assert QSettings().value("main/geometry") is not None
    again = make_window(gui_admin)
    assert again.navigation.current_key() == "audit"
    assert again.splitter.sizes()[0] == wanted
