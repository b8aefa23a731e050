"""The workflow down the side: one page per stage, shown only to the roles that may use it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from jlexam.security.roles import PERMISSIONS, Role
from jlexam.services.base import Actor

A, E, S, D = Role.ADMIN, Role.EXAM_OFFICE, Role.SUPERVISOR, Role.DATA_CLERK
ALL = frozenset(Role)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str  # Chinese, translated in context "Navigation"
    description: str  # what the stage does, for its page's subtitle and the not-yet-built notice
    permissions: tuple[str, ...] = ()  # any of these shows the page; () = every logged-in user
    roles: frozenset[Role] = ALL  # who uses the stage (DESIGN.md) while its permissions do not exist yet
    page: str | None = None  # "module:Class" of a built page; None = not built yet
    group: str = "workflow"

    def visible_to(self, actor: Actor) -> bool:
        known = [p for p in self.permissions if p in PERMISSIONS]
        if known:
            return any(actor.can(p) for p in known)
        return bool(actor.roles & self.roles)

    @property
    def title(self) -> str:
        return QCoreApplication.translate("Navigation", self.label)

    @property
    def summary(self) -> str:
        return QCoreApplication.translate("Navigation", self.description)


STAGES: tuple[Stage, ...] = (
    Stage("institution", QT_TRANSLATE_NOOP("Navigation", "机构"),
          QT_TRANSLATE_NOOP("Navigation", "备案信息、统一社会信用代码、证书编号规则、备案有效期和认定范围。"),
          ("institution.view",), page="ui.pages.institution:InstitutionPage"),
    Stage("sittings", QT_TRANSLATE_NOOP("Navigation", "认定批次"),
          QT_TRANSLATE_NOOP("Navigation", "创建认定批次，发布认定公告（时间、职业、等级、条件和收费），推进批次状态。"),
          ("sitting.view",), page="ui.pages.sittings:SittingsPage"),
    Stage("registration", QT_TRANSLATE_NOOP("Navigation", "报名审核"),
          QT_TRANSLATE_NOOP("Navigation", "导入报名名册，核对身份证件，按申报条件审核资格并保存证明材料。"),
          ("candidates.view",), frozenset({E, S}), page="ui.pages.registration:RegistrationPage"),
    Stage("arrangement", QT_TRANSLATE_NOOP("Navigation", "考场编排"),
          QT_TRANSLATE_NOOP("Navigation", "登记考点与考场（含视频监控），按场次编排座位，锁定编排。"),
          ("arrangement.view",), frozenset({E, S}), page="ui.pages.arrangement:ArrangementPage"),
    Stage("staff", QT_TRANSLATE_NOOP("Navigation", "考务人员"),
          QT_TRANSLATE_NOOP("Navigation", "确定主考、监考员、考评员和质量督导员，核对配比与资格，记录考务会。"),
          ("staff.view",), frozenset({E, S}), page="ui.pages.staff:StaffPage"),
    Stage("papers", QT_TRANSLATE_NOOP("Navigation", "试卷流转"),
          QT_TRANSLATE_NOOP("Navigation", "试卷的印刷、封装、保管、运送、启封和回收，每一步都留痕并链式校验。"),
          ("custody.view",), frozenset({E, S}), page="ui.pages.custody:CustodyPage"),
    Stage("tickets", QT_TRANSLATE_NOOP("Navigation", "准考证与签到"),
          QT_TRANSLATE_NOOP("Navigation", "打印带签名二维码的准考证；考试当天扫码签到，登记缺考、违纪和突发事件。"),
          ("tickets.view",), frozenset({E, S}), page="ui.pages.checkin:CheckInPage"),
    Stage("scores", QT_TRANSLATE_NOOP("Navigation", "成绩"),
          QT_TRANSLATE_NOOP("Navigation", "双人录入各科成绩，核对差异，计算是否合格。"),
          ("scores.view",), frozenset({E, S}), page="ui.pages.scores:ScoresPage"),
    Stage("publicity", QT_TRANSLATE_NOOP("Navigation", "公示"),
          QT_TRANSLATE_NOOP("Navigation", "成绩公示不少于 5 个工作日，登记和答复异议与复核。"),
          ("publicity.view",), frozenset({E, S}), page="ui.pages.publicity:PublicityPage"),
    Stage("certificates", QT_TRANSLATE_NOOP("Navigation", "证书"),
          QT_TRANSLATE_NOOP("Navigation", "生成证书编号，套打空白证书，管理空白证书台账，补发与更正。"),
          ("certificates.view",), frozenset({E, S}), page="ui.pages.certificates:CertificatesPage"),
    Stage("upload", QT_TRANSLATE_NOOP("Navigation", "数据上报"),
          QT_TRANSLATE_NOOP("Navigation", "按平台模板导出成绩和证书数据，签名打包，30 个工作日内上报并登记回执。"),
          ("upload.view",), frozenset({S, D}), page="ui.pages.uploads:UploadsPage"),
    Stage("archive", QT_TRANSLATE_NOOP("Navigation", "档案"),
          QT_TRANSLATE_NOOP("Navigation", "整理认定全过程资料归档（纸质保存 3 年、电子保存 5 年），导出档案包、监管统计报表和终止备案报告。"),
          ("archive.view", "reports.view", "reports.termination"), frozenset({A, S, D}), page="ui.pages.archive:ArchivePage"),
    Stage("audit", QT_TRANSLATE_NOOP("Navigation", "审计"),
          QT_TRANSLATE_NOOP("Navigation", "查询每一次操作的审计记录，校验审计链是否被篡改。"),
          ("audit.view", "audit.verify"), page="ui.pages.audit:AuditPage", group="system"),
    Stage("settings", QT_TRANSLATE_NOOP("Navigation", "设置"),
          QT_TRANSLATE_NOOP("Navigation", "数据库与备份、密钥、节假日、打印机校准、界面语言、用户与角色。"),
          (), page="ui.pages.settings:SettingsPage", group="system"),
)
STAGE_BY_KEY = {s.key: s for s in STAGES}


def visible_stages(actor: Actor) -> list[Stage]:
    return [s for s in STAGES if s.visible_to(actor)]


KEY_ROLE = Qt.ItemDataRole.UserRole + 10

ROLE_NAMES = {
    Role.ADMIN: QT_TRANSLATE_NOOP("Roles", "系统管理员"),
    Role.EXAM_OFFICE: QT_TRANSLATE_NOOP("Roles", "考务人员"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Roles", "主考/质量督导"),
    Role.DATA_CLERK: QT_TRANSLATE_NOOP("Roles", "数据员"),
}


def role_label(role: Role) -> str:
    """The role's name in the window's language (Role.label is the Chinese one)."""
    return QCoreApplication.translate("Roles", ROLE_NAMES.get(role, role.label))


class Navigation(QWidget):
    """The dark side bar: 认定流程 (numbered stages) and 系统; emits the chosen stage's key."""

    stage_selected = Signal(str)

    def __init__(self, stages: list[Stage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SideBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(0)
        self.list = QListWidget()
        self.list.setObjectName("Navigation")
        self.list.setAccessibleName(self.tr("功能导航"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.list, 1)
        self.keys: list[str] = []
        current_group = None
        for number, stage in enumerate(stages, start=1):
            if stage.group != current_group:
                current_group = stage.group
                header = QListWidgetItem(self.tr("认定流程") if stage.group == "workflow" else self.tr("系统"))
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setSizeHint(QSize(10, 36))
                self.list.addItem(header)
            prefix = f"{number:>2}  " if stage.group == "workflow" else "     "
            item = QListWidgetItem(prefix + stage.title)
            item.setData(KEY_ROLE, stage.key)
            item.setToolTip(stage.summary)
            if stage.page is None:
                item.setToolTip(stage.summary + "\n" + self.tr("（本阶段尚未开发）"))
            self.list.addItem(item)
            self.keys.append(stage.key)
        self.list.currentItemChanged.connect(self._changed)
        version = QLabel(self.tr("版本 %1").replace("%1", _version()))
        version.setStyleSheet("color: #7f95ad; padding: 8px 18px; font-size: 8.5pt;")
        layout.addWidget(version)
        self.setMinimumWidth(self._content_width())

    def _content_width(self) -> int:
        """Wide enough for the longest entry (English ones are longer) and the scroll bar, at least 176 px."""
        self.list.ensurePolished()
        widest = self.list.sizeHintForColumn(0)
        scroll_bar = self.list.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return max(176, widest + scroll_bar + 2 * self.list.frameWidth() + 4)

    def _changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None and item.data(KEY_ROLE):
            self.stage_selected.emit(item.data(KEY_ROLE))

    def select(self, key: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY_ROLE) == key:
                self.list.setCurrentRow(row)
                return True
        return False

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def step(self, delta: int) -> None:
        """Move to the previous or next page (Ctrl+PgUp / Ctrl+PgDown)."""
        if not self.keys:
            return
        current = self.current_key()
        index = self.keys.index(current) if current in self.keys else -1
        self.select(self.keys[(index + delta) % len(self.keys)])


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("jlexam")
    except Exception:
        return "0.1.0"
