"""The institution page: the filing as registered with the province, the certificate-number parts, the
filing dates with the renewal warning, the scope, and the changes that require re-filing (001 §7-9).

Every rule is the services' and the domain's: this page validates the credit code as it is typed with
``parse_credit_code`` and shows the Chinese message beside the field; saving goes through
``save_institution``, which checks everything again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm.exc import DetachedInstanceError

from jlexam.domain.certno import CertificateNumberParts, build_certificate_number
from jlexam.domain.credit_code import parse_credit_code
from jlexam.domain.filing import (
    INSTITUTION_KINDS,
    REFILING_FIELDS,
    FilingState,
    FilingStatus,
    default_valid_until,
    filing_status,
)
from jlexam.domain.levels import SkillLevel
from jlexam.errors import JlexamError, ValidationError
from jlexam.services import institution as service
from ui.context import AppContext
from ui.labels import label as label_of
from ui.navigation import Stage
from ui.pages.base import Page, gate
from ui.style import repolish
from ui.tables import Column, TableView
from ui.tasks import run_task
from ui.widgets import Banner, Card, confirm, danger, info, primary

NO_DATE = QDate(2000, 1, 1)
KIND_NAMES = {  # INSTITUTION_KINDS in the window's language
    "employer": QT_TRANSLATE_NOOP("InstitutionPage", "用人单位"),
    "vocational_school": QT_TRANSLATE_NOOP("InstitutionPage", "职业院校"),
    "university": QT_TRANSLATE_NOOP("InstitutionPage", "高等学校"),
    "social_org": QT_TRANSLATE_NOOP("InstitutionPage", "社会培训评价组织"),
}


@dataclass(frozen=True)
class OccupationRow:
    code: str
    name: str
    work_types: tuple[str, ...]
    levels: tuple[SkillLevel, ...]


@dataclass(frozen=True)
class ScopeRow:
    occupation_code: str
    occupation_name: str
    work_type: str
    level: SkillLevel


def _load(actor):  # type: ignore[no-untyped-def]
    """Runs on the thread pool: the institution and the catalogue as plain values."""
    view = service.get_institution(actor)
    try:
        occupations = [
            OccupationRow(o.code, o.name, tuple(w for w in o.work_types.split("|") if w),
                          tuple(SkillLevel(int(v)) for v in o.levels.split("|") if v))
            for o in service.list_occupations(actor)
        ]
    except DetachedInstanceError:
        # list_occupations returns ORM rows its read session has already expired; until it returns plain
        # values, offer the bundled catalogue (what "导入职业目录" loads; set_scope checks against the database).
        from jlexam.exchange.catalogue import load_occupations

        occupations = [OccupationRow(o.code, o.name, tuple(o.work_types), tuple(o.levels))
                       for o in load_occupations()]
    return view, occupations


class DateField(QDateEdit):
    """A date that may be empty (shown as 未填写)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NO_DATE)
        self.setSpecialValueText(self.tr("未填写"))
        self.setDate(NO_DATE)

    def value(self) -> date | None:
        return None if self.date() == NO_DATE else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value) if value else NO_DATE)


class ScopeDialog(QDialog):
    """Add scope items: one occupation, one work type (or none), one or more of its levels."""

    def __init__(self, occupations: list[OccupationRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加认定范围"))
        self.occupations = occupations
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.occupation = QComboBox()
        self.occupation.setEditable(True)
        self.occupation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.occupation.setMinimumWidth(380)
        for occ in occupations:
            self.occupation.addItem(f"{occ.code}  {occ.name}", occ.code)
        completer = self.occupation.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        self.work_type = QComboBox()
        self.levels_box = QHBoxLayout()
        self.level_checks: list[QCheckBox] = []
        form.addRow(self.tr("职业"), self.occupation)
        form.addRow(self.tr("工种"), self.work_type)
        levels = QWidget()
        levels.setLayout(self.levels_box)
        self.levels_box.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("等级"), levels)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("添加"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.occupation.currentIndexChanged.connect(self._occupation_changed)
        self._occupation_changed(self.occupation.currentIndex())
        self.items: list[service.ScopeItem] = []

    def _current(self) -> OccupationRow | None:
        code = self.occupation.currentData()
        return next((o for o in self.occupations if o.code == code), None)

    def _occupation_changed(self, _index: int) -> None:
        occ = self._current()
        self.work_type.clear()
        for check in self.level_checks:
            check.deleteLater()
        self.level_checks = []
        if occ is None:
            return
        if occ.work_types:
            for w in occ.work_types:
                self.work_type.addItem(w, w)
        else:
            self.work_type.addItem(self.tr("（无工种）"), "")
        for level in sorted(occ.levels, reverse=True):
            check = QCheckBox(level.written)
            check.setProperty("level", int(level))
            self.level_checks.append(check)
            self.levels_box.addWidget(check)

    def _accept(self) -> None:
        occ = self._current()
        chosen = [SkillLevel(c.property("level")) for c in self.level_checks if c.isChecked()]
        if occ is None:
            self.error.setText(self.tr("请选择职业。"))
            return
        if not chosen:
            self.error.setText(self.tr("请至少选择一个等级。"))
            return
        self.items = [service.ScopeItem(occ.code, self.work_type.currentData() or "", lv) for lv in chosen]
        self.accept()


class InstitutionPage(Page):
    saved = Signal()

    def __init__(self, ctx: AppContext, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(ctx, stage, parent)
        self.editable = ctx.actor.can("institution.edit")
        self.view: service.InstitutionView | None = None
        self.occupations: list[OccupationRow] = []
        self.scope: list[service.ScopeItem] = []
        self.scope_dirty = False
        self.saved_form: service.InstitutionForm | None = None  # what the form held when last filled
        self.saving = False

        self.save_button = primary(QPushButton(self.tr("保存机构信息")))
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(self.editable)
        self.actions.addWidget(self.save_button)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)

        self.status = Banner(self.tr("正在读取机构信息……"), "info")
        self.content.addWidget(self.status)
        self.refiling = Banner("", "warn")
        self.refiling.setVisible(False)
        self.refiled_button = QPushButton(self.tr("登记已重新备案…"))
        self.refiled_button.clicked.connect(self.mark_refiled)
        self.refiled_button.setVisible(self.editable)
        self.refiling.layout().addWidget(self.refiled_button)
        self.content.addWidget(self.refiling)

        row = QHBoxLayout()
        row.setSpacing(14)
        row.addWidget(self._filing_card(), 3)
        right = QVBoxLayout()
        right.setSpacing(14)
        right.addWidget(self._dates_card())
        right.addWidget(self._certno_card())
        right.addStretch(1)
        row.addLayout(right, 2)
        self.content.addLayout(row)
        self.content.addWidget(self._scope_card())
        self.content.addStretch(1)
        self._set_editable()
        for edit in (self.name, self.credit_code, self.address, self.legal, self.contact, self.phone,
                     self.filing_number, self.cert_institution, self.cert_province, self.cert_site):
            edit.textChanged.connect(self._update_buttons)
        for combo in (self.kind, self.cert_category):
            combo.currentIndexChanged.connect(self._update_buttons)
        for field_ in (self.filed_on, self.valid_until):
            field_.dateChanged.connect(self._update_buttons)
        self.scope_table.selection_changed.connect(self._update_buttons)
        self._update_buttons()

    # --- building -------------------------------------------------------------------------------------
    def _filing_card(self) -> Card:
        card = Card(self.tr("备案信息"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("与备案文件一致的机构全称"))
        self.credit_code = QLineEdit()
        self.credit_code.setObjectName("CreditCode")
        self.credit_code.setPlaceholderText(self.tr("18 位，见营业执照或登记证书"))
        self.credit_code.setMaxLength(24)
        self.credit_error = QLabel()
        self.credit_error.setObjectName("FieldError")
        self.credit_error.setWordWrap(True)
        self.credit_error.setVisible(False)
        self.kind = QComboBox()
        for code, label in INSTITUTION_KINDS.items():
            self.kind.addItem(QCoreApplication.translate("InstitutionPage", KIND_NAMES.get(code, label)), code)
        self.address = QLineEdit()
        self.legal = QLineEdit()
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.filing_number = QLineEdit()
        credit = QVBoxLayout()
        credit.setSpacing(2)
        credit.addWidget(self.credit_code)
        credit.addWidget(self.credit_error)
        form.addRow(self._label(self.tr("机构名称"), required=True), self.name)
        form.addRow(self._label(self.tr("统一社会信用代码"), required=True), credit)
        form.addRow(self._label(self.tr("机构类型"), required=True), self.kind)
        form.addRow(self._label(self.tr("注册地址"), refile=True), self.address)
        form.addRow(self._label(self.tr("法定代表人"), refile=True), self.legal)
        form.addRow(self.tr("联系人"), self.contact)
        form.addRow(self.tr("联系电话"), self.phone)
        form.addRow(self.tr("备案编号"), self.filing_number)
        card.body.addLayout(form)
        note = QLabel(self.tr("带 ⚑ 的项目变更后需要向省人社厅重新备案（001 第八条）；认定考点和认定范围的变更同样需要。"))
        note.setObjectName("Hint")
        note.setWordWrap(True)
        card.body.addWidget(note)
        self.form_error = QLabel()
        self.form_error.setObjectName("FieldError")
        self.form_error.setWordWrap(True)
        self.form_error.setVisible(False)
        card.body.addWidget(self.form_error)
        card.body.addStretch(1)
        self.credit_code.textEdited.connect(self._check_credit_code)
        for edit in (self.address, self.legal):
            edit.textEdited.connect(self._flag_refiling_edits)
        return card

    def _label(self, text: str, *, required: bool = False, refile: bool = False) -> QLabel:
        label = QLabel(text + (" ⚑" if refile else "") + (" *" if required else ""))
        if refile:
            label.setToolTip(self.tr("变更需要重新备案（001 第八条）"))
        return label

    def _dates_card(self) -> Card:
        card = Card(self.tr("备案有效期"))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.filed_on = DateField()
        self.valid_until = DateField()
        self.valid_until.setToolTip(self.tr("不填写时按备案日期起 3 年计算（001 第七条）"))
        form.addRow(self.tr("备案日期"), self.filed_on)
        form.addRow(self.tr("有效期至"), self.valid_until)
        card.body.addLayout(form)
        self.filing_hint = QLabel()
        self.filing_hint.setObjectName("Hint")
        self.filing_hint.setWordWrap(True)
        card.body.addWidget(self.filing_hint)
        self.filed_on.dateChanged.connect(self._update_filing_hint)
        self.valid_until.dateChanged.connect(self._update_filing_hint)
        return card

    def _certno_card(self) -> Card:
        card = Card(self.tr("证书编号规则"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self.cert_category = QComboBox()
        self.cert_category.addItem(self.tr("Y（用人单位、院校）"), "Y")
        self.cert_category.addItem(self.tr("S（社会培训评价组织）"), "S")
        self.cert_institution = QLineEdit()
        self.cert_institution.setInputMask("9999")
        self.cert_province = QLineEdit()
        self.cert_province.setInputMask("99")
        self.cert_site = QLineEdit()
        self.cert_site.setInputMask("999999")
        labels = [self.tr("第 1 位 机构类别"), self.tr("第 2-5 位 机构代码"), self.tr("第 6-7 位 省份代码"),
                  self.tr("第 8-13 位 考点序号")]
        for i, (label, widget) in enumerate(zip(labels, (self.cert_category, self.cert_institution,
                                                         self.cert_province, self.cert_site), strict=True)):
            grid.addWidget(QLabel(label), i, 0)
            grid.addWidget(widget, i, 1)
        card.body.addLayout(grid)
        self.cert_preview = QLabel()
        self.cert_preview.setObjectName("Hint")
        self.cert_preview.setWordWrap(True)
        self.cert_preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(self.cert_preview)
        for edit in (self.cert_institution, self.cert_province, self.cert_site):
            edit.textEdited.connect(self._update_cert_preview)
        self.cert_category.currentIndexChanged.connect(self._update_cert_preview)
        return card

    def _scope_card(self) -> Card:
        card = Card(self.tr("认定范围（职业 × 工种 × 等级）"))
        self.add_scope = QPushButton(self.tr("添加…"))
        self.remove_scope = danger(QPushButton(self.tr("删除所选")))
        self.save_scope = primary(QPushButton(self.tr("保存认定范围")))
        self.import_catalogue = QPushButton(self.tr("更新职业目录"))
        self.import_catalogue.setToolTip(self.tr("导入随程序附带的《职业分类大典（2022年版）》职业目录"))
        for b in (self.import_catalogue, self.add_scope, self.remove_scope, self.save_scope):
            card.header.addWidget(b)
        self.scope_hint = QLabel(self.tr("报名只能在备案的认定范围内进行（002 第十六条）。首次登记的范围属于备案本身；"
                                         "之后的修改需要重新备案。"))
        self.scope_hint.setObjectName("Hint")
        self.scope_hint.setWordWrap(True)
        card.body.addWidget(self.scope_hint)
        self.scope_table = TableView(
            [
                Column(self.tr("职业编码"), lambda r: r.occupation_code, width=110),
                Column(self.tr("职业"), lambda r: r.occupation_name, width=200),
                Column(self.tr("工种"), lambda r: r.work_type or self.tr("（无工种）"), width=200),
                Column(self.tr("等级"), lambda r: int(r.level), format=lambda v: label_of(SkillLevel(v).written)),
            ],
            empty_text=self.tr("尚未设置认定范围。点击“添加…”选择职业、工种和等级。"),
            search=False,
        )
        self.scope_table.setMinimumHeight(220)
        card.body.addWidget(self.scope_table)
        self.add_scope.clicked.connect(self.add_scope_items)
        self.remove_scope.clicked.connect(self.remove_scope_items)
        self.save_scope.clicked.connect(self.save_scope_items)
        self.import_catalogue.clicked.connect(self.load_catalogue)
        return card

    def _set_editable(self) -> None:
        editable = self.editable
        for edit in (self.name, self.credit_code, self.address, self.legal, self.contact, self.phone,
                     self.filing_number, self.cert_institution, self.cert_province, self.cert_site):
            edit.setReadOnly(not editable)
        for widget in (self.kind, self.filed_on, self.valid_until, self.cert_category):
            widget.setEnabled(editable)
        for button in (self.add_scope, self.remove_scope, self.save_scope, self.import_catalogue):
            button.setVisible(editable)

    def form_changed(self) -> bool:
        """Whether the form differs from what was loaded or last saved."""
        return self.saved_form is not None and self.form_value() != self.saved_form

    def _update_buttons(self, *_args: object) -> None:
        """Save and delete act only when there is something to save or a row to delete; the tooltip says why not."""
        if self.saving:
            gate(self.save_button, self.tr("正在保存……"))
        else:
            gate(self.save_button, "" if self.form_changed() else self.tr("没有要保存的修改。"),
                 tip=self.tr("保存（Ctrl+S）"))
        gate(self.remove_scope, "" if self.scope_table.selected_rows() else self.tr("请先在下表中选择要删除的认定范围。"),
             tip=self.tr("从认定范围中删除所选的行（点击“保存认定范围”后生效）"))
        gate(self.save_scope, "" if self.scope_dirty else self.tr("认定范围没有修改。"))

    # --- data ------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self.ctx.actor
        run_task(self, lambda _p: _load(actor), title=self.tr("读取机构信息"), on_done=self._loaded)

    def _loaded(self, result: tuple) -> None:
        self.view, self.occupations = result
        view = self.view
        if view is None:
            self.status.set(self.tr("尚未登记机构信息。请按备案文件填写下列信息并保存。"), "warn")
            self._fill(service.InstitutionForm(name="", credit_code="", kind="employer"))  # the defaults
            self.scope = []
        else:
            self._fill(view.form)
            self.scope = list(view.scope)
        self.scope_dirty = False
        self._show_scope()
        self._show_view_status()

    def _fill(self, form: service.InstitutionForm) -> None:
        self.name.setText(form.name)
        self.credit_code.setText(form.credit_code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(form.kind)))
        self.address.setText(form.address)
        self.legal.setText(form.legal_representative)
        self.contact.setText(form.contact_person)
        self.phone.setText(form.contact_phone)
        self.filing_number.setText(form.filing_number)
        self.filed_on.set_value(form.filed_on)
        self.valid_until.set_value(form.filing_valid_until)
        self.cert_category.setCurrentIndex(max(0, self.cert_category.findData(form.cert_category)))
        self.cert_institution.setText(form.cert_institution_code)
        self.cert_province.setText(form.cert_province)
        self.cert_site.setText(form.cert_site_serial)
        self._check_credit_code(form.credit_code)
        self._flag_refiling_edits()
        self._update_cert_preview()
        self.saved_form = self.form_value()
        self._update_filing_hint()
        self._update_buttons()

    def _show_view_status(self) -> None:
        view = self.view
        if view is None:
            self.refiling.setVisible(False)
            return
        status = view.filing(self.ctx.today())
        level = {FilingState.VALID: "ok", FilingState.RENEWAL_DUE: "warn"}.get(status.state, "error")
        self.status.set(self.filing_text(status), level)
        if view.refiling_due:
            changes = "\n".join("· " + c for c in view.pending_changes) or self.tr("· 认定范围或考点已变更")
            self.refiling.set(self.tr("以下变更需要向省人社厅重新备案（001 第八条）：\n%1").replace("%1", changes), "warn")
            self.refiling.setVisible(True)
        else:
            self.refiling.setVisible(False)

    def form_value(self) -> service.InstitutionForm:
        return service.InstitutionForm(
            name=self.name.text(),
            credit_code=self.credit_code.text(),
            kind=self.kind.currentData(),
            address=self.address.text().strip(),
            legal_representative=self.legal.text().strip(),
            contact_person=self.contact.text().strip(),
            contact_phone=self.phone.text().strip(),
            filing_number=self.filing_number.text().strip(),
            filed_on=self.filed_on.value(),
            filing_valid_until=self.valid_until.value(),
            cert_category=self.cert_category.currentData(),
            cert_institution_code=self.cert_institution.text().strip(),
            cert_province=self.cert_province.text().strip(),
            cert_site_serial=self.cert_site.text().strip(),
        )

    # --- live checks -------------------------------------------------------------------------------------
    def _check_credit_code(self, text: str) -> bool:
        error = ""
        if text.strip():
            try:
                parse_credit_code(text)
            except ValidationError as exc:
                error = exc.message
        self._set_field_error(self.credit_code, self.credit_error, error)
        return not error

    def _set_field_error(self, edit: QLineEdit, label: QLabel, message: str) -> None:
        label.setText(message)
        label.setVisible(bool(message))
        edit.setProperty("invalid", bool(message))
        repolish(edit)

    def _flag_refiling_edits(self, *_args: object) -> None:
        if self.view is None:
            return
        form = self.view.form
        changed = [REFILING_FIELDS["address"]] if self.address.text().strip() != form.address else []
        if self.legal.text().strip() != form.legal_representative:
            changed.append(REFILING_FIELDS["legal_representative"])
        for edit, key in ((self.address, "address"), (self.legal, "legal_representative")):
            edit.setToolTip(self.tr("已修改：保存后将标记为需要重新备案。")
                            if REFILING_FIELDS[key] in changed else "")

    def _day(self, day: date) -> str:
        return (self.tr("%1年%2月%3日").replace("%1", f"{day.year}").replace("%2", f"{day.month:02d}")
                .replace("%3", f"{day.day:02d}"))

    def filing_text(self, status: FilingStatus) -> str:
        """The filing's standing (``filing_status``) in the window's language."""
        until, renewal = status.valid_until, status.renewal_due_on
        if status.state == FilingState.MISSING or until is None or renewal is None:
            return self.tr("尚未登记备案有效期。请在机构页面填写备案日期和有效期。")
        if status.state == FilingState.EXPIRED:
            return self.tr("备案已于 %1 到期，不能开展认定（001 第七条）。请向省人社厅重新备案。").replace("%1", self._day(until))
        if status.state == FilingState.RENEWAL_DUE:
            return (self.tr("备案将于 %1 到期（剩 %2 天），应在到期前 3 个月申请续期（001 第九条）。")
                    .replace("%1", self._day(until)).replace("%2", str((until - self.ctx.today()).days)))
        return (self.tr("备案有效期至 %1；请于 %2 起申请续期。").replace("%1", self._day(until))
                .replace("%2", self._day(renewal)))

    def _update_filing_hint(self, *_args: object) -> None:
        """The rule, or the standing of dates that differ from the saved ones (the banner above shows the saved
        standing, so it is not repeated here)."""
        rule = self.tr("备案有效期为 3 年（001 第七条），应在到期前 3 个月申请续期（001 第九条）。")
        filed, until = self.filed_on.value(), self.valid_until.value()
        computed = until is None and filed is not None
        if computed:
            until = default_valid_until(filed)
        saved = self.view.form.filing_valid_until if self.view is not None else None
        if until is None or (self.view is not None and until == saved):
            self.filing_hint.setText(rule)
            return
        live = self.filing_text(filing_status(until, self.ctx.today()))
        if computed:
            live = self.tr("未填写有效期：按备案日期起 3 年计算，至 %1。").replace("%1", f"{until:%Y-%m-%d}") + "\n" + live
        self.filing_hint.setText(live)

    def _update_cert_preview(self, *_args: object) -> None:
        try:
            parts = CertificateNumberParts(self.cert_category.currentData(), self.cert_institution.text(),
                                           self.cert_province.text(), self.cert_site.text())
            example = build_certificate_number(parts, self.ctx.today().year, SkillLevel.LEVEL_3, 1)
        except JlexamError as exc:
            self.cert_preview.setText(exc.message)
            self.cert_preview.setObjectName("FieldError")
        else:
            self.cert_preview.setText(self.tr("示例（今年发证的%2第 1 本）：%1").replace("%2", label_of(SkillLevel.LEVEL_3.written))
                                      .replace("%1", example))
            self.cert_preview.setObjectName("Hint")
        repolish(self.cert_preview)

    # --- actions -----------------------------------------------------------------------------------------
    def save(self) -> None:
        if not self.editable or self.saving or not self.form_changed():
            return
        self.form_error.setVisible(False)
        if not self._check_credit_code(self.credit_code.text()) or not self.credit_code.text().strip():
            if not self.credit_code.text().strip():
                self._set_field_error(self.credit_code, self.credit_error,
                                      self.tr("请填写 18 位统一社会信用代码。"))
            self.credit_code.setFocus()
            return
        form = self.form_value()
        refile = []
        if self.view is not None:
            old = self.view.form
            refile = [label for key, label in REFILING_FIELDS.items()
                      if hasattr(old, key) and getattr(old, key) != getattr(form, key)]
        if refile and not confirm(self, self.tr("需要重新备案"),
                                  self.tr("%1 的变更需要向省人社厅重新备案（001 第八条）。保存后，机构将被标记为“需重新备案”，"
                                          "直到登记完成重新备案。是否保存？").replace("%1", "、".join(refile)),
                                  self.tr("保存"), irreversible=False):
            return
        actor = self.ctx.actor
        self.saving = True
        self._update_buttons()
        handle = run_task(self, lambda _p: service.save_institution(actor, form), title=self.tr("保存机构信息"),
                          on_done=self._saved, on_error=self._save_failed)
        handle.finished.connect(self._save_finished)

    def _save_finished(self) -> None:
        self.saving = False
        self._update_buttons()

    def _saved(self, view: service.InstitutionView) -> None:
        self.view = view
        self._fill(view.form)
        self._show_view_status()
        self.ctx.institution_changed.emit()
        self.saved.emit()
        self.window().statusBar().showMessage(self.tr("机构信息已保存。"), 5000) if hasattr(
            self.window(), "statusBar") else None

    def _save_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, JlexamError):
            from ui.errors import show_error

            show_error(self, exc)
            return
        if exc.message.startswith("统一社会信用代码"):
            self._set_field_error(self.credit_code, self.credit_error, exc.message)
            self.credit_code.setFocus()
        else:
            self.form_error.setText(exc.message)
            self.form_error.setVisible(True)

    def mark_refiled(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("登记已重新备案"))
        layout = QFormLayout(dialog)
        when = DateField()
        when.setDate(QDate(self.ctx.today()))
        layout.addRow(QLabel(self.tr("请填写省人社厅受理重新备案的日期。登记后，“需重新备案”的标记将被清除。")))
        layout.addRow(self.tr("重新备案日期"), when)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("登记"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted or when.value() is None:
            return
        actor, day = self.ctx.actor, when.value()
        run_task(self, lambda _p: service.mark_refiled(actor, day), title=self.tr("登记重新备案"),
                 on_done=lambda _v: (self.refresh(), self.ctx.institution_changed.emit()))

    def _show_scope(self) -> None:
        names = {o.code: o.name for o in self.occupations}
        rows = [ScopeRow(i.occupation_code, names.get(i.occupation_code, ""), i.work_type, i.level) for i in self.scope]
        self.scope_table.set_rows(rows)
        self._update_buttons()

    def add_scope_items(self) -> None:
        if not self.occupations:
            info(self, self.tr("职业目录为空"), self.tr("请先点击“更新职业目录”导入职业分类大典的职业目录。"))
            return
        dialog = ScopeDialog(self.occupations, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        existing = set(self.scope)
        self.scope.extend(i for i in dialog.items if i not in existing)
        self.scope.sort(key=lambda i: (i.occupation_code, i.work_type, -int(i.level)))
        self.scope_dirty = True
        self._show_scope()

    def remove_scope_items(self) -> None:
        chosen = self.scope_table.selected_rows()
        if not chosen:
            return
        gone = {(r.occupation_code, r.work_type, r.level) for r in chosen}
        self.scope = [i for i in self.scope if (i.occupation_code, i.work_type, i.level) not in gone]
        self.scope_dirty = True
        self._show_scope()

    def save_scope_items(self) -> None:
        if self.view is None:
            info(self, self.tr("请先保存机构信息"), self.tr("请先填写并保存备案信息，再设置认定范围。"))
            return
        if self.view.scope and not confirm(
                self, self.tr("修改认定范围"),
                self.tr("认定范围的变更需要向省人社厅重新备案（001 第八条）。保存后机构将被标记为“需重新备案”。是否保存？"),
                self.tr("保存"), irreversible=False):
            return
        actor, items = self.ctx.actor, list(self.scope)
        run_task(self, lambda _p: service.set_scope(actor, items), title=self.tr("保存认定范围"),
                 on_done=self._scope_saved)

    def _scope_saved(self, view: service.InstitutionView) -> None:
        self.view = view
        self.scope = list(view.scope)
        self.scope_dirty = False
        self._show_scope()
        self._show_view_status()
        self.ctx.institution_changed.emit()

    def load_catalogue(self) -> None:
        from jlexam.exchange.catalogue import load_occupations

        actor = self.ctx.actor

        def work(_p):  # type: ignore[no-untyped-def]
            service.load_catalogue(actor, load_occupations())
            return _load(actor)

        run_task(self, work, title=self.tr("更新职业目录"), on_done=self._loaded)
