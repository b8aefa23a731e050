"""The registration page (报名审核): applications by form or roster workbook (preview first), photos, and the
eligibility review — the rules engine's finding, approve / reject with a reason, a supervisor's override with
a written reason, evidence files (002 §16-17, 003).

All checks are the services'; the page shows their Chinese messages where the user is looking: inside the
dialog that asked, or in the banner above the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jlexam.domain.idcard import Sex, parse_id_number
from jlexam.domain.levels import SkillLevel
from jlexam.domain.locked_records import PRINTED_STATES
from jlexam.errors import JlexamError, ValidationError
from jlexam.exchange.roster import EDUCATIONS
from jlexam.services import eligibility, photos, registration
from jlexam.services import sittings as sitting_service
from jlexam.services.candidates import ID_TYPES, RESIDENT_ID, CandidateInput
from jlexam.services.institution import get_institution
from ui import errors
from ui.context import AppContext
from ui.labels import label
from ui.navigation import Stage
from ui.pages.base import Page, gate
from ui.pages.sittings import RIGHT, TaskDialog, main_window, occupation_name, offer_text
from ui.pages.work import open_page_dialog
from ui.tables import Column, TableView
from ui.tasks import Progress, run_task
from ui.widgets import Banner, Card, danger, primary

PRINTED = frozenset(s.value for s in PRINTED_STATES)  # tickets and sign-in sheets show the photos (002 §20)
ELIGIBILITY_LABELS = {"pending": "待核查", "eligible": "符合", "ineligible": "不符合"}
ELIGIBILITY_COLORS = {"pending": "#7a8699", "eligible": "#1f7a4d", "ineligible": "#b42318"}
FILTERS = (
    ("all", "全部报名"),
    ("pending", "待核查"),
    ("undecided", "已核查、待审核"),
    ("eligible", "符合申报条件"),
    ("ineligible", "不符合申报条件"),
    ("approved", "审核通过"),
    ("rejected", "审核不通过"),
    ("override", "破格通过"),
)


def decision_text(row: eligibility.ApplicationRow) -> str:
    if row.decision == "approved":
        return "破格通过" if row.override else "通过"
    if row.decision == "rejected":
        return "不通过"
    return "待审核"


def decision_color(row: eligibility.ApplicationRow) -> str | None:
    if row.decision == "approved":
        return "#b45309" if row.override else "#1f7a4d"
    if row.decision == "rejected":
        return "#b42318"
    return None


def keep(row: eligibility.ApplicationRow, key: str) -> bool:
    return {
        "all": True,
        "pending": row.eligibility == "pending",
        "undecided": row.eligibility != "pending" and row.decision is None,
        "eligible": row.eligibility == "eligible",
        "ineligible": row.eligibility == "ineligible",
        "approved": row.decision == "approved",
        "rejected": row.decision == "rejected",
        "override": row.override,
    }[key]


@dataclass(frozen=True)
class Loaded:
    code: str | None
    sitting: sitting_service.SittingView | None
    rows: list[eligibility.ApplicationRow]
    missing_photos: list[photos.MissingPhoto]
    university: bool


def _load(actor, code: str | None, graduating: bool) -> Loaded:  # type: ignore[no-untyped-def]
    """Runs on the thread pool."""
    occupation_name("")
    if code is None:
        return Loaded(None, None, [], [], False)
    sitting = next((s for s in sitting_service.list_sittings(actor) if s.code == code), None)
    rows = eligibility.list_applications(actor, code, graduating_only=graduating)
    missing = photos.applications_without_photo(actor, code)
    view = get_institution(actor)
    return Loaded(code, sitting, rows, missing, view is not None and view.form.kind == "university")


class DateField(QDateEdit):
    """A date that may be empty (未填写), reaching back to 1900 for birth dates and old certificates."""

    EMPTY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(self.EMPTY)
        self.setSpecialValueText(self.tr("未填写"))
        self.setDate(self.EMPTY)

    def value(self) -> date | None:
        return None if self.date() == self.EMPTY else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value) if value else self.EMPTY)


# --- dialogs ---------------------------------------------------------------------------------------------
class ApplicationDialog(TaskDialog):
    """One candidate's application: the person (CandidateInput) and what they apply for (the sitting's offers)."""

    def __init__(self, actor, sitting: sitting_service.SittingView, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("登记报名 — %1").replace("%1", sitting.name), self.tr("登记"), parent)
        self.actor, self.sitting = actor, sitting
        self.name = QLineEdit()
        self.sex = QComboBox()
        for sex in Sex:
            self.sex.addItem(label(sex.label), sex)
        self.id_type = QComboBox()
        for key, name in ID_TYPES.items():
            self.id_type.addItem(label(name), key)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(24)
        self.id_number.setPlaceholderText(self.tr("18 位居民身份证号码，末位可为 X"))
        self.birth_date = DateField()
        self.birth_date.setToolTip(self.tr("居民身份证由号码得出，可不填"))
        self.phone = QLineEdit()
        self.education = QComboBox()
        for item in EDUCATIONS:
            self.education.addItem(label(item), item)
        self.education.setCurrentIndex(self.education.findData("高中/中专"))
        self.employer = QLineEdit()
        self.employer.setPlaceholderText(self.tr("工作单位或班级"))
        self.student_number = QLineEdit()
        self.student_number.setPlaceholderText(self.tr("在校学生填写"))
        self.major = QLineEdit()
        self.graduation_year = QSpinBox()
        self.graduation_year.setRange(1999, 2100)
        self.graduation_year.setSpecialValueText(self.tr("未填写"))
        self.graduation_year.setValue(1999)

        self.offer = QComboBox()
        for o in sorted(sitting.offers, key=lambda o: (o.occupation_code, o.work_type, -int(o.level))):
            self.offer.addItem(f"{o.occupation_code}  {offer_text(o.occupation_code, o.work_type, o.level)}", o)
        self.years = QSpinBox()
        self.years.setRange(-1, 60)
        self.years.setSpecialValueText(self.tr("未填写"))
        self.years.setValue(-1)
        self.years.setSuffix(self.tr(" 年"))
        self.prior_level = QComboBox()
        self.prior_level.addItem(self.tr("无"), None)
        for level in sorted(SkillLevel, reverse=True):
            self.prior_level.addItem(label(level.written), level)
        self.prior_date = DateField()
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("例如 中级职称（工程师）"))
        self.title_date = DateField()

        person = QFormLayout()
        person.setLabelAlignment(RIGHT)
        person.addRow(self.tr("姓名 *"), self.name)
        person.addRow(self.tr("证件类型"), self.id_type)
        person.addRow(self.tr("证件号码 *"), self.id_number)
        person.addRow(self.tr("性别 *"), self.sex)
        person.addRow(self.tr("出生日期"), self.birth_date)
        person.addRow(self.tr("手机号码"), self.phone)
        person.addRow(self.tr("文化程度 *"), self.education)
        person.addRow(self.tr("工作单位/班级"), self.employer)
        person.addRow(self.tr("学号"), self.student_number)
        person.addRow(self.tr("专业"), self.major)
        person.addRow(self.tr("毕业年份"), self.graduation_year)
        applying = QFormLayout()
        applying.setLabelAlignment(RIGHT)
        applying.addRow(self.tr("申报职业等级 *"), self.offer)
        applying.addRow(self.tr("从事本职业年限"), self.years)
        applying.addRow(self.tr("现有证书等级"), self.prior_level)
        applying.addRow(self.tr("证书取得日期"), self.prior_date)
        applying.addRow(self.tr("专业技术职称"), self.title)
        applying.addRow(self.tr("职称取得日期"), self.title_date)
        note = QLabel(self.tr("申报条件按国家职业标准核查（002 第十七条）：年限、现有证书和学历职称请如实填写，"
                              "证明材料可在登记后附上。在校学生最高申报三级/高级工（003）。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        applying.addRow(note)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        left, right = Card(self.tr("考生")), Card(self.tr("申报"))
        left.body.addLayout(person)
        right.body.addLayout(applying)
        right.body.addStretch(1)
        columns.addWidget(left, 1)
        columns.addWidget(right, 1)
        self.outer.insertLayout(0, columns)
        self.id_number.textEdited.connect(self._from_id_number)
        self.finish_layout()
        self.resize(920, 560)

    def _from_id_number(self, text: str) -> None:
        """A resident ID gives the sex and birth date: filled in as a convenience, checked by the service."""
        if self.id_type.currentData() != RESIDENT_ID or len(text.strip()) != 18:
            return
        try:
            parsed = parse_id_number(text)
        except (ValidationError, ValueError):
            return
        self.sex.setCurrentIndex(self.sex.findData(str(parsed.sex)))
        self.birth_date.set_value(parsed.birth_date)

    def value(self) -> registration.ApplicationInput:
        offer = self.offer.currentData()
        student = self.student_number.text().strip() or None
        year = self.graduation_year.value()
        years = self.years.value()
        candidate = CandidateInput(
            name=self.name.text().strip(),
            sex=Sex(self.sex.currentData()),
            id_number=self.id_number.text(),
            id_type=self.id_type.currentData(),
            birth_date=self.birth_date.value(),
            phone=self.phone.text().strip(),
            education=self.education.currentData(),
            employer=self.employer.text().strip(),
            student_number=student,
            major=self.major.text().strip() or None,
            graduation_year=year if year != self.graduation_year.minimum() else None,
        )
        return registration.ApplicationInput(
            candidate=candidate,
            occupation_code=offer.occupation_code,
            level=offer.level,
            work_type=offer.work_type,
            years_in_occupation=years if years >= 0 else None,
            prior_level=SkillLevel(self.prior_level.currentData()) if self.prior_level.currentData() else None,
            prior_certificate_date=self.prior_date.value(),
            professional_title=self.title.text().strip() or None,
            title_date=self.title_date.value(),
        )

    def work(self) -> Callable[[Progress], Any] | None:
        if self.offer.currentData() is None:
            self.show_message(self.tr("本批次没有开考等级。"))
            return None
        actor, code, item = self.actor, self.sitting.code, self.value()
        return lambda _p: registration.register_application(actor, code, item)


class ReasonDialog(TaskDialog):
    """不予通过: a reason is required (002 §17); applies to every chosen application."""

    def __init__(self, actor, rows: list[eligibility.ApplicationRow], parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("审核不通过"), self.tr("不予通过"), parent)
        danger(self.ok)
        self.actor, self.rows = actor, rows
        names = "、".join(r.name for r in rows[:5]) + (self.tr(" 等 %1 人").replace("%1", str(len(rows)))
                                                       if len(rows) > 5 else "")
        who = QLabel(names)
        who.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：从事本职业年限不足，未提供工作年限证明"))
        self.reason.setFixedHeight(100)
        self.form.addRow(self.tr("报名人员"), who)
        self.form.addRow(self.tr("不通过理由 *"), self.reason)
        self.finish_layout()
        self.resize(520, 260)

    def work(self) -> Callable[[Progress], Any] | None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_message(self.tr("不予通过须写明理由。"))
            return None
        actor, ids = self.actor, [r.id for r in self.rows]

        def run(progress: Progress) -> int:
            for n, app_id in enumerate(ids):
                progress(n, len(ids))
                eligibility.decide(actor, app_id, False, reason)
            return len(ids)

        return run


class OverrideDialog(TaskDialog):
    """破格通过: a supervisor's written reason of at least MIN_OVERRIDE_REASON characters, audited."""

    def __init__(self, actor, row: eligibility.ApplicationRow, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("破格通过"), self.tr("破格通过"), parent)
        self.actor, self.row = actor, row
        self.minimum = eligibility.MIN_OVERRIDE_REASON
        who = QLabel(f"{row.name}（{row.id_number_masked}）  "
                     f"{offer_text(row.occupation_code, row.work_type, row.level)}")
        self.failed = Banner(self.tr("未满足的申报条件：%1").replace("%1", row.eligibility_summary or self.tr("（无核查说明）")),
                             "error")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("写明破格的依据，例如：单位出具了十年工作证明，原件已核验"))
        self.reason.setFixedHeight(110)
        self.count = QLabel()
        self.count.setObjectName("Hint")
        self.form.addRow(self.tr("报名人员"), who)
        self.outer.addWidget(self.failed)
        reason_form = QFormLayout()
        reason_form.setLabelAlignment(RIGHT)
        reason_form.addRow(self.tr("书面理由 *"), self.reason)
        reason_form.addRow("", self.count)
        self.outer.addLayout(reason_form)
        note = QLabel(self.tr("只有主考/质量督导可以破格通过；理由和核查结论一并记入审计日志（002 第十七条）。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.reason.textChanged.connect(self._count)
        self._count()
        self.finish_layout()
        self.resize(600, 380)

    def _count(self) -> None:
        n = len(self.reason.toPlainText().strip())
        self.count.setText(self.tr("已写 %1 字，至少 %2 字。").replace("%1", str(n)).replace("%2", str(self.minimum)))
        self.ok.setEnabled(n >= self.minimum)

    def work(self) -> Callable[[Progress], Any] | None:
        reason = self.reason.toPlainText().strip()
        if len(reason) < self.minimum:
            self.show_message(self.tr("破格通过须写明不少于 %1 个字的书面理由。").replace("%1", str(self.minimum)))
            return None
        actor, app_id = self.actor, self.row.id
        return lambda _p: eligibility.approve_with_override(actor, app_id, reason)


class EvidenceDialog(TaskDialog):
    """Keep a scanned document with the application (002 §17)."""

    def __init__(self, actor, row: eligibility.ApplicationRow, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(self.tr("附证明材料 — %1").replace("%1", row.name), self.tr("保存"), parent)
        self.actor, self.row = actor, row
        self.kind = QComboBox()
        for key, name in eligibility.EVIDENCE_KINDS.items():
            self.kind.addItem(label(name), key)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("扫描件或照片，PDF、JPG、PNG，不超过 20 MB"))
        browse = QPushButton(self.tr("选择文件…"))
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.form.addRow(self.tr("材料类型"), self.kind)
        self.form.addRow(self.tr("文件"), file_row)
        self.finish_layout()
        self.resize(560, 180)

    def browse(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self, self.tr("选择证明材料"), "",
                                                 self.tr("证明材料 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)"))
        if chosen:
            self.path.setText(chosen)

    def work(self) -> Callable[[Progress], Any] | None:
        if not self.path.text():
            self.show_message(self.tr("请选择文件。"))
            return None
        actor, app_id, kind, path = self.actor, self.row.id, self.kind.currentData(), Path(self.path.text())
        return lambda _p: eligibility.attach_evidence(actor, app_id, kind, path)


class RosterDialog(QDialog):
    """Import the roster: preview first (counts and every bad cell), then import with the chosen policy."""

    def __init__(self, actor, code: str, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入报名名册"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.actor, self.code = actor, code
        self.result: Any = None
        self.report: registration.ImportReport | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        file_row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("选择按模板填写的报名名册（.xlsx）"))
        browse = QPushButton(self.tr("选择名册文件…"))
        browse.clicked.connect(self.browse)
        file_row.addWidget(QLabel(self.tr("名册文件")))
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        layout.addLayout(file_row)
        self.summary = Banner(self.tr("请选择名册文件。导入前会先检查每一个单元格，不写入任何数据。"), "info")
        layout.addWidget(self.summary)
        self.notices = QLabel()
        self.notices.setObjectName("Hint")
        self.notices.setWordWrap(True)
        self.notices.setVisible(False)
        layout.addWidget(self.notices)
        self.errors = TableView(
            [
                Column(self.tr("工作表"), lambda e: e.sheet, width=90),
                Column(self.tr("行"), lambda e: e.row, width=50, align=RIGHT),
                Column(self.tr("列"), lambda e: e.column, width=40),
                Column(self.tr("表头"), lambda e: e.header, width=110),
                Column(self.tr("填写内容"), lambda e: e.value, width=150),
                Column(self.tr("错误说明"), lambda e: e.message),
            ],
            empty_text=self.tr("没有错误。"),
            placeholder=self.tr("在错误中筛选（Ctrl+F）"),
        )
        self.errors.setMinimumHeight(240)
        layout.addWidget(self.errors, 1)
        options = QGridLayout()
        self.policy = QButtonGroup(self)
        self.nothing = QRadioButton(self.tr("有错误时不导入任何数据（推荐：改正后整份重新导入）"))
        self.valid_only = QRadioButton(self.tr("只导入没有错误的行，有错误的行改正后另行导入"))
        self.nothing.setChecked(True)
        self.policy.addButton(self.nothing)
        self.policy.addButton(self.valid_only)
        self.errors_path = QLineEdit()
        self.errors_path.setReadOnly(True)
        save_as = QPushButton(self.tr("另存为…"))
        save_as.clicked.connect(self.choose_errors_path)
        options.addWidget(self.nothing, 0, 0, 1, 3)
        options.addWidget(self.valid_only, 1, 0, 1, 3)
        options.addWidget(QLabel(self.tr("错误说明工作簿保存到")), 2, 0)
        options.addWidget(self.errors_path, 2, 1)
        options.addWidget(save_as, 2, 2)
        self.options = QWidget()
        self.options.setLayout(options)
        options.setContentsMargins(0, 0, 0, 0)
        self.options.setVisible(False)
        layout.addWidget(self.options)
        self.message = QLabel()
        self.message.setObjectName("FieldError")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = primary(QPushButton(self.tr("导入")))
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("关闭"))
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)
        self.task = None
        self.resize(980, 640)

    def browse(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _f = QFileDialog.getOpenFileName(self, self.tr("选择报名名册"), folder,
                                                 self.tr("Excel 工作簿 (*.xlsx *.xlsm *.xls);;所有文件 (*)"))
        if chosen:
            self.set_path(Path(chosen))

    def set_path(self, path: Path) -> None:
        self.path.setText(str(path))
        self.errors_path.setText(str(path.with_name(f"{path.stem}-错误说明.xlsx")))
        self.result = None
        self.import_button.setEnabled(False)
        self.message.setVisible(False)
        self.summary.set(self.tr("正在检查 %1 ……").replace("%1", path.name), "info")
        actor, code = self.actor, self.code
        self.task = run_task(self, lambda _p: registration.preview_roster(actor, code, path),
                             title=self.tr("检查报名名册"), label=self.tr("正在逐格检查名册……"),
                             on_done=self._previewed, on_error=self._failed)

    def _previewed(self, result: Any) -> None:
        self.result = result
        rejected = len(result.rejected_rows)
        valid = len(result.rows)
        text = (self.tr("工作表“%1”共 %2 行：有效 %3 行，有错误 %4 行（%5 处错误）。")
                .replace("%1", result.sheet).replace("%2", str(result.total)).replace("%3", str(valid))
                .replace("%4", str(rejected)).replace("%5", str(len(result.errors))))
        if not result.total:
            self.summary.set(self.tr("名册中没有数据行。"), "warn")
        elif rejected:
            self.summary.set(text + self.tr("请选择如何处理有错误的行。"), "error")
        else:
            self.summary.set(text + self.tr("可以导入。"), "ok")
        self.notices.setText("\n".join(result.notices))
        self.notices.setVisible(bool(result.notices))
        self.errors.set_rows(result.errors)
        self.options.setVisible(bool(rejected))
        self.import_button.setEnabled(bool(result.total))

    def choose_errors_path(self) -> None:
        chosen, _f = QFileDialog.getSaveFileName(self, self.tr("错误说明工作簿另存为"), self.errors_path.text(),
                                                 self.tr("Excel 工作簿 (*.xlsx)"))
        if chosen:
            self.errors_path.setText(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")

    def run_import(self) -> None:
        if self.result is None or (self.task is not None and self.task.is_running):
            return
        path = Path(self.path.text())
        errors_out = Path(self.errors_path.text()) if self.result.rejected_rows else None
        accept_valid = self.valid_only.isChecked()
        actor, code = self.actor, self.code
        self.message.setVisible(False)
        self.import_button.setEnabled(False)
        self.task = run_task(self, lambda _p: registration.import_roster(actor, code, path, errors_out=errors_out,
                                                                          accept_valid=accept_valid),
                             title=self.tr("导入报名名册"), label=self.tr("正在导入……"),
                             on_done=self._imported, on_error=self._failed)
        self.task.finished.connect(lambda: self.import_button.setEnabled(self.result is not None))

    def _imported(self, report: registration.ImportReport) -> None:
        self.report = report
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, JlexamError):
            self.message.setText(exc.message)
            self.message.setVisible(True)
            if self.result is None:
                self.summary.set(self.tr("无法读取名册。"), "error")
        else:
            errors.show_error(self, exc)


class ListDialog(QDialog):
    """A read-only list (applicants without a photo, photo files not imported)."""

    def __init__(self, title: str, text: str, columns: list[Column], rows: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.table = TableView(columns)
        self.table.set_rows(rows)
        layout.addWidget(self.table, 1)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(640, 480)


# --- the page --------------------------------------------------------------------------------------------
class RegistrationPage(Page):
    scrollable = False

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        actor = ctx.actor
        self.can_register = actor.can("registration.manage")
        self.can_review = actor.can("eligibility.review")
        self.can_override = actor.can("eligibility.override")
        self.can_photos = actor.can("candidates.edit")
        self.loaded: Loaded | None = None
        self.rows: list[eligibility.ApplicationRow] = []
        self.dialog: QDialog | None = None
        self.task = None

        self.add_button = QPushButton(self.tr("登记报名…"))
        self.import_button = primary(QPushButton(self.tr("导入报名名册…")))
        self.template_button = QPushButton(self.tr("下载名册模板…"))
        self.photos_button = QPushButton(self.tr("导入照片"))
        menu = QMenu(self.photos_button)
        menu.addAction(self.tr("从文件夹导入…"), lambda: self.choose_photos(folder=True))
        menu.addAction(self.tr("从 ZIP 压缩包导入…"), lambda: self.choose_photos(folder=False))
        self.photos_button.setMenu(menu)
        self.photos_button.setToolTip(self.tr("照片文件以考生的证件号码命名，例如 22010219900307123X.jpg"))
        for button in (self.template_button, self.add_button, self.photos_button, self.import_button):
            self.actions.addWidget(button)
        self.add_button.clicked.connect(self.add_application)
        self.import_button.clicked.connect(self.import_roster)
        self.template_button.clicked.connect(self.save_template)
        self.add_button.setVisible(self.can_register)
        self.import_button.setVisible(self.can_register)
        self.template_button.setVisible(self.can_register)
        self.photos_button.setVisible(self.can_photos)

        self.status = Banner(self.tr("正在读取报名……"), "info")
        self.content.addWidget(self.status)
        self.notice = Banner("", "ok")  # the outcome of the last action
        self.notice.setVisible(False)
        self.content.addWidget(self.notice)

        card = Card(self.tr("报名与资格审核"))
        self.evaluate_button = primary(QPushButton(self.tr("按申报条件核查")))
        self.evaluate_button.setToolTip(self.tr("按国家职业标准的申报条件核查所有尚未作出决定的报名（002 第十七条）"))
        self.evaluate_button.clicked.connect(self.evaluate)
        self.evaluate_button.setVisible(self.can_review)
        card.header.addWidget(self.evaluate_button)
        self.counts = QLabel()
        self.counts.setObjectName("Hint")
        self.counts.setWordWrap(True)
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.counts, 1)
        self.photo_link = QPushButton()
        self.photo_link.setFlat(True)
        self.photo_link.setStyleSheet("color: #9a6700; text-decoration: underline; border: none;")
        self.photo_link.clicked.connect(self.show_missing_photos)
        self.photo_link.setVisible(False)
        counts_row.addWidget(self.photo_link)
        card.body.addLayout(counts_row)

        self.filter = QComboBox()
        for key, name in FILTERS:
            self.filter.addItem(label(name), key)
        self.filter.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.graduating = QCheckBox(self.tr("仅毕业年度学生"))
        self.graduating.setToolTip(self.tr("高校优先组织毕业年度学生参加认定（003）"))
        self.graduating.toggled.connect(lambda _on: self.refresh())

        self.table = TableView(
            [
                Column(self.tr("姓名"), lambda r: r.name, width=90),
                Column(self.tr("证件号码"), lambda r: r.id_number_masked, width=170),
                Column(self.tr("职业（工种）"), lambda r: offer_text(r.occupation_code, r.work_type, None), width=150),
                Column(self.tr("等级"), lambda r: int(r.level), format=lambda v: label(SkillLevel(v).written), width=110),
                Column(self.tr("资格核查"), lambda r: label(ELIGIBILITY_LABELS.get(r.eligibility, r.eligibility)),
                       width=80, color=lambda r: ELIGIBILITY_COLORS.get(r.eligibility)),
                Column(self.tr("核查说明"), lambda r: r.eligibility_summary, width=300),
                Column(self.tr("审核结论"), lambda r: label(decision_text(r)), width=80, color=decision_color),
                Column(self.tr("理由"), lambda r: r.decision_reason),
            ],
            empty_text=self.tr("尚无报名。"),
            placeholder=self.tr("按姓名、证件号码、职业、等级、结论筛选（Ctrl+F）"),
        )
        self.table.selection_changed.connect(self._update_buttons)
        bar = self.table.search_bar.layout()  # the filters sit beside the search field
        bar.insertWidget(0, QLabel(self.tr("显示")))
        bar.insertWidget(1, self.filter)
        bar.insertWidget(2, self.graduating)
        card.body.addWidget(self.table, 1)

        decide_row = QHBoxLayout()
        self.approve_button = primary(QPushButton(self.tr("审核通过")))
        self.reject_button = danger(QPushButton(self.tr("不予通过…")))
        self.override_button = QPushButton(self.tr("破格通过…"))
        self.override_button.setToolTip(self.tr("对未满足申报条件的报名破格通过：须主考填写书面理由"))
        self.evidence_button = QPushButton(self.tr("附证明材料…"))
        self.selection = QLabel()
        self.selection.setObjectName("Hint")
        decide_row.addWidget(self.selection, 1)
        for button in (self.evidence_button, self.override_button, self.reject_button, self.approve_button):
            decide_row.addWidget(button)
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject)
        self.override_button.clicked.connect(self.override)
        self.evidence_button.clicked.connect(self.attach_evidence)
        for button in (self.approve_button, self.reject_button, self.evidence_button):
            button.setVisible(self.can_review)
        self.override_button.setVisible(self.can_override)
        card.body.addLayout(decide_row)
        self.content.addWidget(card, 1)
        self._update_buttons()
        ctx.sitting_changed.connect(self.refresh)

    # --- data ------------------------------------------------------------------------------------------
    @property
    def code(self) -> str | None:
        return self.ctx.sitting.code if self.ctx.sitting else None

    def refresh(self) -> None:
        actor, code, graduating = self.ctx.actor, self.code, self.graduating.isChecked()
        if self.task is not None and self.task.is_running:
            self.task.cancel()
        self.task = run_task(self, lambda _p: _load(actor, code, graduating), title=self.tr("读取报名"),
                             dialog=False, on_done=self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.rows = loaded.rows
        sitting = loaded.sitting
        is_open = sitting is not None and sitting.state.value == "open"
        if sitting is None:
            self.status.set(self.tr("尚无认定批次。请先在“认定批次”页面创建批次、安排场次并开放报名。"), "info")
        elif sitting.state.value == "draft":
            self.status.set(self.tr("认定批次 %1 尚未开放报名：请在“认定批次”页面发布公告并开放报名。")
                            .replace("%1", sitting.name), "warn")
        elif not is_open and self._reviewing():
            self.status.set(self.tr("认定批次 %1 %2：不能再登记或导入报名，可以继续资格审核。")
                            .replace("%1", sitting.name).replace("%2", label(sitting.state_label)), "info")
        elif not is_open:
            self.status.set(self.tr("认定批次 %1 %2：考场编排已锁定，报名和资格审核结果只能查看。")
                            .replace("%1", sitting.name).replace("%2", label(sitting.state_label)), "info")
        else:
            self.status.set(self.tr("认定批次 %1 报名中。").replace("%1", sitting.name), "ok")
        for button in (self.add_button, self.import_button):
            button.setEnabled(is_open)
            button.setToolTip("" if is_open else self.tr("只能在报名中时登记报名。"))
        gate(self.photos_button, self._photos_block(loaded),
             tip=self.tr("照片文件以考生的证件号码命名，例如 22010219900307123X.jpg"))
        gate(self.evaluate_button, self._review_block(), ready=bool(loaded.rows),
             tip=self.tr("按国家职业标准的申报条件核查所有尚未作出决定的报名（002 第十七条）"),
             unready=self.tr("本批次尚无报名。"))
        # the graduating-year filter matters where there are students (universities, 003)
        has_students = loaded.university or any(r.student_number for r in loaded.rows)
        self.graduating.setVisible(has_students or self.graduating.isChecked())
        self._show_counts()
        self._show_rows()

    def _show_counts(self) -> None:
        rows = self.rows
        if self.loaded is None or self.loaded.sitting is None:
            self.counts.setText("")
            self.photo_link.setVisible(False)
            return
        n = {k: sum(1 for r in rows if keep(r, k)) for k, _label in FILTERS}
        scope = self.tr("毕业年度学生") if self.graduating.isChecked() else self.tr("报名")
        self.counts.setText(
            self.tr("共 %1 份%2：待核查 %3，符合 %4，不符合 %5；审核通过 %6（其中破格 %7），不通过 %8，待审核 %9。")
            .replace("%1", str(len(rows))).replace("%2", scope).replace("%3", str(n["pending"]))
            .replace("%4", str(n["eligible"])).replace("%5", str(n["ineligible"])).replace("%6", str(n["approved"]))
            .replace("%7", str(n["override"])).replace("%8", str(n["rejected"]))
            .replace("%9", str(sum(1 for r in rows if r.decision is None))))
        missing = len(self.loaded.missing_photos)
        self.photo_link.setText(self.tr("%1 名考生没有照片…").replace("%1", str(missing)))
        self.photo_link.setVisible(missing > 0)

    def _show_rows(self) -> None:
        key = self.filter.currentData()
        self.table.set_rows([r for r in self.rows if keep(r, key)])
        if self.loaded is None or self.loaded.sitting is None:
            self.table.set_empty_text(self.tr("尚无认定批次。"))
        elif not self.rows:
            self.table.set_empty_text(self.tr("本批次尚无报名。点击“导入报名名册…”或“登记报名…”。") if self.can_register
                                      else self.tr("本批次尚无报名。"))
        else:
            self.table.set_empty_text(self.tr("没有符合筛选条件的报名。"))
        self._update_buttons()

    def _photos_block(self, loaded: Loaded) -> str:
        """Why no photo can be imported for the sitting now; "" when some can (the service's rule, 002 §20, §36)."""
        sitting = loaded.sitting
        if sitting is None:
            return self.tr("尚无认定批次。")
        state = sitting.state.value
        if state == "archived":
            return self.tr("认定批次已归档：照片是档案记录的一部分，不能再导入或更换（002 第三十六条）。")
        if state in PRINTED and not loaded.missing_photos:
            return self.tr("准考证已发放，照片已印在准考证和签到表上，不能直接更换（002 第二十条）；"
                           "确需更换的，须由主考/质量督导批准并写明理由。")
        return ""

    def _review_block(self) -> str:
        """Why applications cannot be decided now; "" while the review is open."""
        sitting = self.loaded.sitting if self.loaded is not None else None
        if sitting is None:
            return self.tr("尚无认定批次。")
        if sitting.state in eligibility.REVIEW_STATES:
            return ""
        if sitting.state.value == "draft":
            return self.tr("尚未开放报名：报名开放后才能审核。")
        return self.tr("认定批次当前为“%1”：资格审核在报名期间和报名截止后、锁定考场编排前进行。").replace(
            "%1", label(sitting.state_label))

    def _reviewing(self) -> bool:
        """Whether the sitting's state lets the review go on (the service refuses otherwise)."""
        sitting = self.loaded.sitting if self.loaded is not None else None
        return sitting is not None and sitting.state in eligibility.REVIEW_STATES

    def _update_buttons(self) -> None:
        selected = self.table.selected_rows()
        # nothing may be decided outside the review: the buttons stay off, the status banner says why
        chosen = selected if self._reviewing() else []
        block = self._review_block()
        gate(self.approve_button, block,
             ready=any(r.eligibility == "eligible" and r.decision != "approved" for r in chosen),
             unready=self.tr("请先选择符合申报条件、尚未通过的报名（可多选）。"))
        gate(self.reject_button, block, ready=any(r.eligibility != "pending" for r in chosen),
             unready=self.tr("请先选择已核查的报名（可多选）。"))
        gate(self.override_button, block,
             ready=len(chosen) == 1 and chosen[0].eligibility == "ineligible" and chosen[0].decision != "approved",
             tip=self.tr("对未满足申报条件的报名破格通过：须主考填写书面理由"),
             unready=self.tr("请先选择一份不符合申报条件的报名。"))
        sitting = self.loaded.sitting if self.loaded is not None else None
        evidence_block = ""  # evidence is filed until archived (002 §34)
        if sitting is None:
            evidence_block = self.tr("尚无认定批次。")
        elif sitting.state.value == "archived":
            evidence_block = self.tr("认定批次已归档：档案目录已确定，不能再补充证明材料（002 第三十四条）。")
        gate(self.evidence_button, evidence_block, ready=len(selected) == 1,
             tip=self.tr("为所选报名附上学历证书、工作证明等证明材料"),
             unready=self.tr("请先选择一份报名。"))
        self.selection.setText(self.tr("已选 %1 份").replace("%1", str(len(selected))) if selected
                               else self.tr("选择报名后审核；可按住 Ctrl 或 Shift 多选。"))

    def select_ids(self, ids: list[int]) -> None:
        """Select the applications with these ids (for keyboard users' search results and tests)."""
        from PySide6.QtCore import QItemSelectionModel

        view, proxy = self.table.view, self.table.proxy
        view.clearSelection()
        for r in range(proxy.rowCount()):
            if proxy.source_row_object(proxy.index(r, 0)).id in ids:
                view.selectionModel().select(proxy.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                                             | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()

    # --- actions -----------------------------------------------------------------------------------------
    def _open_dialog(self, dialog: QDialog, on_done: Callable[[Any], None]) -> QDialog:
        return open_page_dialog(self, dialog, on_done)

    def show_notice(self, message: str, level: str = "ok") -> None:
        self.notice.set(message, level)
        self.notice.setVisible(bool(message))

    def _changed(self, message: str = "", level: str = "ok") -> None:
        if message:
            self.show_notice(message, level)
        self.refresh()
        window = main_window(self)
        if window is not None:
            window.refresh_blockers()

    def add_application(self) -> None:
        if self.loaded is None or self.loaded.sitting is None or not self.can_register:
            return
        self._open_dialog(ApplicationDialog(self.ctx.actor, self.loaded.sitting, self),
                          lambda _id: self._changed(self.tr("已登记报名。")))

    def import_roster(self, path: Path | None = None) -> RosterDialog | None:
        if self.code is None or not self.can_register:
            return None
        dialog = RosterDialog(self.ctx.actor, self.code, self)
        self._open_dialog(dialog, self._roster_imported)
        if path is not None:
            dialog.set_path(Path(path))
        else:
            dialog.browse()
        return dialog

    def _roster_imported(self, dialog: RosterDialog) -> None:
        report = dialog.report
        if report is None:
            return
        text = self.tr("名册导入完成：共 %1 行，导入 %2 人，未导入 %3 行。").replace("%1", str(report.total)) \
            .replace("%2", str(report.imported)).replace("%3", str(report.rejected))
        if report.errors_file:
            text += self.tr("错误说明已保存到 %1。").replace("%1", str(report.errors_file))
        self._changed(text)

    def save_template(self, path: Path | None = None) -> None:
        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            chosen, _f = QFileDialog.getSaveFileName(self, self.tr("保存报名名册模板"),
                                                     str(Path(folder) / "报名名册模板.xlsx"),
                                                     self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
        offered = {o.occupation_code for o in self.loaded.sitting.offers} if self.loaded and self.loaded.sitting else set()

        def write(_p: Progress) -> Path:
            from jlexam.exchange.catalogue import load_occupations
            from jlexam.exchange.roster import write_template

            occupations = load_occupations()
            chosen = [o for o in occupations if o.code in offered] or occupations
            write_template(Path(path), chosen)
            return Path(path)

        run_task(self, write, title=self.tr("生成名册模板"),
                 on_done=lambda p: self.show_notice(self.tr("名册模板已保存到 %1。").replace("%1", str(p))))

    def choose_photos(self, *, folder: bool) -> None:
        if folder:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("选择照片文件夹"))
        else:
            chosen, _f = QFileDialog.getOpenFileName(self, self.tr("选择照片压缩包"), "", self.tr("ZIP 压缩包 (*.zip)"))
        if chosen:
            self.import_photos(Path(chosen))

    def import_photos(self, source: Path) -> None:
        if self.code is None or not self.can_photos:
            return
        actor, code = self.ctx.actor, self.code
        run_task(self, lambda _p: photos.import_photos(actor, code, source), title=self.tr("导入照片"),
                 label=self.tr("正在检查并导入照片……"), on_done=self._photos_imported)

    def _photos_imported(self, report: photos.PhotoImportReport) -> None:
        text = (self.tr("照片导入完成：新增 %1，替换 %2，未导入 %3。").replace("%1", str(report.imported))
                .replace("%2", str(report.replaced)).replace("%3", str(len(report.problems))))
        self._changed(text, "warn" if report.problems else "ok")
        if report.problems:
            dialog = ListDialog(self.tr("未导入的照片"), text,
                                [Column(self.tr("文件"), lambda p: p[0], width=220), Column(self.tr("原因"), lambda p: p[1])],
                                report.problems, self)
            self.dialog = dialog
            dialog.open()

    def show_missing_photos(self) -> None:
        if self.loaded is None:
            return
        dialog = ListDialog(self.tr("没有照片的考生"),
                            self.tr("准考证需要照片。请以证件号码命名照片文件后用“导入照片”导入。"),
                            [Column(self.tr("姓名"), lambda m: m.name, width=120),
                             Column(self.tr("证件号码"), lambda m: m.id_number_masked)],
                            self.loaded.missing_photos, self)
        self.dialog = dialog
        dialog.open()

    def evaluate(self) -> None:
        if self.code is None or not self.can_review:
            return
        actor, code = self.ctx.actor, self.code
        self.evaluate_button.setEnabled(False)
        handle = run_task(self, lambda _p: eligibility.evaluate_sitting(actor, code), title=self.tr("按申报条件核查"),
                          label=self.tr("正在按国家职业标准核查申报条件……"), on_done=self._evaluated)
        handle.finished.connect(lambda: self.evaluate_button.setEnabled(True))

    def _evaluated(self, counts: tuple[int, int]) -> None:
        self._changed(self.tr("核查完成：符合申报条件 %1 份，不符合 %2 份。不符合的可不予通过，或由主考破格通过。")
                      .replace("%1", str(counts[0])).replace("%2", str(counts[1])))

    def approve(self) -> None:
        if not self.can_review:
            return
        chosen = [r for r in self.table.selected_rows() if r.eligibility == "eligible" and r.decision != "approved"]
        skipped = len(self.table.selected_rows()) - len(chosen)
        if not chosen:
            return
        actor, ids = self.ctx.actor, [r.id for r in chosen]

        def run(progress: Progress) -> int:
            for n, app_id in enumerate(ids):
                progress(n, len(ids))
                eligibility.decide(actor, app_id, True)
            return len(ids)

        def done(count: int) -> None:
            text = self.tr("已审核通过 %1 份。").replace("%1", str(count))
            if skipped:
                text += self.tr("另有 %1 份未核查、不符合条件或已通过，未处理。").replace("%1", str(skipped))
            self._changed(text)

        run_task(self, run, title=self.tr("审核通过"), on_done=done, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, JlexamError):
            self.show_notice(exc.message, "error")
            self.refresh()
        else:
            errors.show_error(self, exc)

    def reject(self) -> None:
        chosen = [r for r in self.table.selected_rows() if r.eligibility != "pending"]
        if not chosen or not self.can_review:
            return
        self._open_dialog(ReasonDialog(self.ctx.actor, chosen, self),
                          lambda n: self._changed(self.tr("已作不予通过 %1 份。").replace("%1", str(n))))

    def override(self) -> None:
        chosen = self.table.selected_rows()
        if len(chosen) != 1 or not self.can_override:
            return
        self._open_dialog(OverrideDialog(self.ctx.actor, chosen[0], self),
                          lambda _v: self._changed(self.tr("已破格通过 %1，理由已记入审计日志。").replace("%1", chosen[0].name)))

    def attach_evidence(self, path: Path | None = None) -> EvidenceDialog | None:
        chosen = self.table.selected_rows()
        if len(chosen) != 1 or not self.can_review:
            return None
        dialog = EvidenceDialog(self.ctx.actor, chosen[0], self)
        if path is not None:
            dialog.path.setText(str(path))
        self._open_dialog(dialog, lambda _v: self._changed(self.tr("证明材料已保存。")))
        return dialog
