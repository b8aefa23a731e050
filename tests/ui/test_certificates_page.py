"""The certificates page: blocked before the results are final (blockers shown), issue after, reissue needs a
reason, the blank-stock ledger with its balance, custody apart from issuing."""

from datetime import date

import pytest
import shiboken6

from jlexam.domain.stock_ledger import EntryKind
from jlexam.services import certificates, publicity
from tests.ui.test_publicity_page import results
from tests.ui.test_scores_page import CODE, decided, open_page, scored, team  # noqa: F401  (fixtures)


def _closed(dialog) -> bool:  # type: ignore[no-untyped-def]
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _loaded(qtbot, page, check=lambda: True):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.task is not None and not page.task.is_running and page.loaded is not None
                    and check(), timeout=5_000)


@pytest.fixture
def published(team, scored):  # type: ignore[no-untyped-def]  # noqa: F811
    results(team, scored)
    publicity.publish_results(team["supervisor"], CODE, date(2026, 9, 30))
    return team


def test_blocked_before_final_then_issue_and_reissue(qtbot, published, make_window, monkeypatch, shown_errors):
    from ui.pages.certificates import ReasonDialog

    sup = published["supervisor"]
    window, page = open_page(qtbot, make_window, sup, "certificates")
    monkeypatch.setattr(window.ctx, "today", lambda: date(2026, 10, 10))
    page.refresh()
    _loaded(qtbot, page)
    texts = page.blocker_texts()
    assert "成绩尚未确定" in texts[0] and any("公示期至 2026-10-12 结束" in t for t in texts)
    assert not page.issue_button.isEnabled()

    publicity.finalize_results(sup, CODE, date(2026, 10, 13))
    window.load_sittings()  # the header picks up the new state, every page refreshes
    _loaded(qtbot, page, lambda: page.loaded.state == "final")
    assert page.issue_button.isEnabled() and "可以发证" in page.blocker_texts()[0]
    page.issue_date.setDate(date(2026, 10, 14))
    page.issue_button.click()
    qtbot.waitUntil(lambda: "已发放证书 1 本" in page.notice.label.text(), timeout=5_000)
    _loaded(qtbot, page, lambda: page.table.model.rowCount() == 1)
    (cert,) = certificates.list_certificates(sup, CODE)
    assert page.table.model._texts[0][0] == cert.number and page.table.model._texts[0][6] == "有效"

    page.select_numbers([cert.number])
    assert page.reissue_button.isEnabled()
    page.reissue_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.ok.click()
    assert "须写明持证人的申请理由" in dialog.error.text() and dialog.isVisible()
    dialog.reason.setPlainText("持证人遗失，本人申请补发")
    dialog.ok.click()
    qtbot.waitUntil(lambda: _closed(dialog), timeout=5_000)
    qtbot.waitUntil(lambda: "已补发证书" in page.notice.label.text(), timeout=5_000)
    _loaded(qtbot, page, lambda: page.table.model.rowCount() == 2)
    states = {page.table.model.row(i).number: page.table.model._texts[i][6] for i in range(2)}
    assert states[cert.number] == "已替换"
    assert shown_errors == []


def test_ledger_receipt_issue_balance_and_custody(qtbot, published, make_window, shown_errors):
    page = open_page(qtbot, make_window, published["supervisor"], "certificates")[1]
    page.tabs.setCurrentIndex(1)

    def record(kind, custodian, handler, first=0, last=0, reason=""):  # type: ignore[no-untyped-def]
        page.kind.setCurrentIndex(page.kind.findData(kind.value))
        page.custodian.setText(custodian)
        page.handler.setText(handler)
        page.first.setValue(first)
        page.last.setValue(last)
        page.reason.setText(reason)
        page.record_button.click()
        qtbot.waitUntil(lambda: page.ledger_error.isVisible() and page.record_button.isEnabled(), timeout=5_000)

    record(EntryKind.RECEIPT, "孙保管", "印刷厂送货员", 1001, 1100)
    assert "已登记入库" in page.ledger_error.text()
    _loaded(qtbot, page, lambda: page.ledger_table.model.rowCount() == 1)
    assert page.balance.text() == "账面结存 100 张"

    record(EntryKind.ISSUE, "孙保管", "孙保管", 1001, 1010)  # the custodian may not issue to themself
    assert "已登记" not in page.ledger_error.text() and page.ledger_error.text()
    assert page.ledger_table.model.rowCount() == 1

    record(EntryKind.ISSUE, "孙保管", "李主考", 1001, 1010)
    assert "已登记领用" in page.ledger_error.text()
    _loaded(qtbot, page, lambda: page.ledger_table.model.rowCount() == 2)
    assert page.balance.text() == "账面结存 90 张"
    assert page.ledger_table.model._texts[1][1] == "领用" and page.ledger_table.model._texts[1][4] == "10"

    page.kind.setCurrentIndex(page.kind.findData("stock_take"))
    page.counted.setValue(89)
    page.compare_button.click()
    qtbot.waitUntil(lambda: "相差 -1 张" in page.ledger_error.text(), timeout=5_000)
    assert shown_errors == []
