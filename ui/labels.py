"""The Chinese names of stored codes (domain and services constants) as the window shows them, translated.

The services name a room kind, a staff role, a custody step and so on in Chinese (``ROOM_KINDS``,
``STAFF_ROLES``, ``EventKind.label`` …). A page that shows such a name passes it through ``label()``, which
looks it up in the ``Labels`` context of the translations; lupdate only extracts literal strings, so every
name is registered below with ``QT_TRANSLATE_NOOP``. ``tests/ui/test_labels.py`` checks that every value of the
jlexam label constants is registered here: when a constant gains a name, add it below and translate it
(``scripts/build-translations.sh``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Labels"

REGISTERED: tuple[str, ...] = (
    # jlexam.domain.idcard.Sex, services.tickets.SEX_LABELS
    QT_TRANSLATE_NOOP("Labels", "男"),
    QT_TRANSLATE_NOOP("Labels", "女"),
    # services.candidates.ID_TYPES, exchange.roster.ID_TYPES
    QT_TRANSLATE_NOOP("Labels", "居民身份证"),
    QT_TRANSLATE_NOOP("Labels", "护照"),
    QT_TRANSLATE_NOOP("Labels", "港澳居民居住证"),
    QT_TRANSLATE_NOOP("Labels", "台湾居民居住证"),
    # exchange.roster.EDUCATIONS
    QT_TRANSLATE_NOOP("Labels", "小学"),
    QT_TRANSLATE_NOOP("Labels", "初中"),
    QT_TRANSLATE_NOOP("Labels", "高中/中专"),
    QT_TRANSLATE_NOOP("Labels", "技工院校"),
    QT_TRANSLATE_NOOP("Labels", "大专/高职"),
    QT_TRANSLATE_NOOP("Labels", "本科"),
    QT_TRANSLATE_NOOP("Labels", "研究生"),
    # services.eligibility.EVIDENCE_KINDS
    QT_TRANSLATE_NOOP("Labels", "学历证书"),
    QT_TRANSLATE_NOOP("Labels", "职业资格/技能等级证书"),
    QT_TRANSLATE_NOOP("Labels", "工作年限证明"),
    QT_TRANSLATE_NOOP("Labels", "职称证书"),
    QT_TRANSLATE_NOOP("Labels", "其他材料"),
    # eligibility and decisions (ui.pages.registration, services.archives.CODE_LABELS)
    QT_TRANSLATE_NOOP("Labels", "待核查"),
    QT_TRANSLATE_NOOP("Labels", "符合"),
    QT_TRANSLATE_NOOP("Labels", "不符合"),
    QT_TRANSLATE_NOOP("Labels", "待审核"),
    QT_TRANSLATE_NOOP("Labels", "通过"),
    QT_TRANSLATE_NOOP("Labels", "不通过"),
    QT_TRANSLATE_NOOP("Labels", "破格通过"),
    # registration filters (ui.pages.registration.FILTERS)
    QT_TRANSLATE_NOOP("Labels", "全部报名"),
    QT_TRANSLATE_NOOP("Labels", "已核查、待审核"),
    QT_TRANSLATE_NOOP("Labels", "符合申报条件"),
    QT_TRANSLATE_NOOP("Labels", "不符合申报条件"),
    QT_TRANSLATE_NOOP("Labels", "审核通过"),
    QT_TRANSLATE_NOOP("Labels", "审核不通过"),
    # results (services.publicity.RESULT_LABELS, domain.scoring)
    QT_TRANSLATE_NOOP("Labels", "合格"),
    QT_TRANSLATE_NOOP("Labels", "不合格"),
    QT_TRANSLATE_NOOP("Labels", "缺考"),
    QT_TRANSLATE_NOOP("Labels", "违纪"),
    QT_TRANSLATE_NOOP("Labels", "待定"),
    # domain.standards.ExamPart, services.sittings.PART_LABELS
    QT_TRANSLATE_NOOP("Labels", "理论知识考试"),
    QT_TRANSLATE_NOOP("Labels", "操作技能考核"),
    QT_TRANSLATE_NOOP("Labels", "综合评审"),
    # domain.sitting_state.SittingState
    QT_TRANSLATE_NOOP("Labels", "草稿"),
    QT_TRANSLATE_NOOP("Labels", "报名中"),
    QT_TRANSLATE_NOOP("Labels", "报名截止"),
    QT_TRANSLATE_NOOP("Labels", "已编排"),
    QT_TRANSLATE_NOOP("Labels", "已发准考证"),
    QT_TRANSLATE_NOOP("Labels", "已考试"),
    QT_TRANSLATE_NOOP("Labels", "已评分"),
    QT_TRANSLATE_NOOP("Labels", "公示中"),
    QT_TRANSLATE_NOOP("Labels", "成绩确定"),
    QT_TRANSLATE_NOOP("Labels", "已发证"),
    QT_TRANSLATE_NOOP("Labels", "已上报"),
    QT_TRANSLATE_NOOP("Labels", "已归档"),
    # certificates (ui.pages.certificates KIND_TEXT / STATUS_TEXT, services.reports.CERT_STATUS)
    QT_TRANSLATE_NOOP("Labels", "首次发证"),
    QT_TRANSLATE_NOOP("Labels", "补发"),
    QT_TRANSLATE_NOOP("Labels", "更正"),
    QT_TRANSLATE_NOOP("Labels", "有效"),
    QT_TRANSLATE_NOOP("Labels", "已替换"),
    QT_TRANSLATE_NOOP("Labels", "已换发"),
    QT_TRANSLATE_NOOP("Labels", "已作废"),
    # domain.stock_ledger.EntryKind / SerialState
    QT_TRANSLATE_NOOP("Labels", "入库"),
    QT_TRANSLATE_NOOP("Labels", "领用"),
    QT_TRANSLATE_NOOP("Labels", "印废"),
    QT_TRANSLATE_NOOP("Labels", "作废"),
    QT_TRANSLATE_NOOP("Labels", "盘点"),
    QT_TRANSLATE_NOOP("Labels", "在库"),
    QT_TRANSLATE_NOOP("Labels", "已领用"),
    QT_TRANSLATE_NOOP("Labels", "已印废"),
    # domain.custody.EventKind (LABELS)
    QT_TRANSLATE_NOOP("Labels", "印制"),
    QT_TRANSLATE_NOOP("Labels", "封装"),
    QT_TRANSLATE_NOOP("Labels", "入库保管"),
    QT_TRANSLATE_NOOP("Labels", "出库"),
    QT_TRANSLATE_NOOP("Labels", "运送"),
    QT_TRANSLATE_NOOP("Labels", "交接"),
    QT_TRANSLATE_NOOP("Labels", "启封"),
    QT_TRANSLATE_NOOP("Labels", "回收"),
    QT_TRANSLATE_NOOP("Labels", "回收封装"),
    QT_TRANSLATE_NOOP("Labels", "交评分组"),
    QT_TRANSLATE_NOOP("Labels", "归还入库"),
    QT_TRANSLATE_NOOP("Labels", "归档"),
    # domain.custody.STATE_LABELS (paper packet states)
    QT_TRANSLATE_NOOP("Labels", "未印制"),
    QT_TRANSLATE_NOOP("Labels", "已印制"),
    QT_TRANSLATE_NOOP("Labels", "已封装"),
    QT_TRANSLATE_NOOP("Labels", "已出库"),
    QT_TRANSLATE_NOOP("Labels", "已启封"),
    QT_TRANSLATE_NOOP("Labels", "已回收"),
    QT_TRANSLATE_NOOP("Labels", "已回收封装"),
    QT_TRANSLATE_NOOP("Labels", "评分中"),
    QT_TRANSLATE_NOOP("Labels", "已归还"),
    # objection states (ui.pages.publicity.STATE_TEXT)
    QT_TRANSLATE_NOOP("Labels", "已答复"),
    QT_TRANSLATE_NOOP("Labels", "已答复（逾期）"),
    QT_TRANSLATE_NOOP("Labels", "待答复"),
    QT_TRANSLATE_NOOP("Labels", "已逾期未答复"),
    # the hint for a score field (ui.pages.scores.MARK_HINT)
    QT_TRANSLATE_NOOP("Labels", "分数 0–100（最多一位小数），或“缺考”“违纪”"),
    # upload batches (ui.pages.uploads.STATUS_TEXT)
    QT_TRANSLATE_NOOP("Labels", "已生成、待上报"),
    QT_TRANSLATE_NOOP("Labels", "平台已确认"),
    # services.arrangement.ROOM_KINDS / STRATEGY_LABELS
    QT_TRANSLATE_NOOP("Labels", "理论考场"),
    QT_TRANSLATE_NOOP("Labels", "实操考场"),
    QT_TRANSLATE_NOOP("Labels", "综合评审室"),
    QT_TRANSLATE_NOOP("Labels", "考务办公室"),
    QT_TRANSLATE_NOOP("Labels", "候考室"),
    QT_TRANSLATE_NOOP("Labels", "评分室"),
    QT_TRANSLATE_NOOP("Labels", "依次坐满"),
    QT_TRANSLATE_NOOP("Labels", "均衡分布"),
    # services.staffing.STAFF_ROLES / CHANGE_KINDS
    QT_TRANSLATE_NOOP("Labels", "主考"),
    QT_TRANSLATE_NOOP("Labels", "考务组长"),
    QT_TRANSLATE_NOOP("Labels", "工作人员"),
    QT_TRANSLATE_NOOP("Labels", "监考员"),
    QT_TRANSLATE_NOOP("Labels", "考评员"),
    QT_TRANSLATE_NOOP("Labels", "内部质量督导员"),
    QT_TRANSLATE_NOOP("Labels", "外部质量督导员"),
    QT_TRANSLATE_NOOP("Labels", "安全员"),
    QT_TRANSLATE_NOOP("Labels", "考务人员"),
    QT_TRANSLATE_NOOP("Labels", "座位"),
    # services.checkin.EVENT_KINDS / METHOD_LABELS, services.tickets.ROOM_DOCUMENTS
    QT_TRANSLATE_NOOP("Labels", "突发事件"),
    QT_TRANSLATE_NOOP("Labels", "扫码"),
    QT_TRANSLATE_NOOP("Labels", "人工"),
    QT_TRANSLATE_NOOP("Labels", "考场门贴"),
    QT_TRANSLATE_NOOP("Labels", "座位表"),
    QT_TRANSLATE_NOOP("Labels", "签到表"),
    QT_TRANSLATE_NOOP("Labels", "考场记录表"),
    # services.archives.CATEGORY_LABELS, domain.retention.Medium
    QT_TRANSLATE_NOOP("Labels", "认定公告"),
    QT_TRANSLATE_NOOP("Labels", "报名与资格审核"),
    QT_TRANSLATE_NOOP("Labels", "资格证明材料"),
    QT_TRANSLATE_NOOP("Labels", "考场编排"),
    QT_TRANSLATE_NOOP("Labels", "考务人员与培训"),
    QT_TRANSLATE_NOOP("Labels", "试卷流转"),
    QT_TRANSLATE_NOOP("Labels", "签到与考场记录"),
    QT_TRANSLATE_NOOP("Labels", "成绩"),
    QT_TRANSLATE_NOOP("Labels", "公示与异议"),
    QT_TRANSLATE_NOOP("Labels", "证书与台账"),
    QT_TRANSLATE_NOOP("Labels", "数据上报"),
    QT_TRANSLATE_NOOP("Labels", "审计日志"),
    QT_TRANSLATE_NOOP("Labels", "纸质"),
    QT_TRANSLATE_NOOP("Labels", "电子"),
    # backup reasons and weekdays (ui.pages.settings.REASONS, WEEKDAYS)
    QT_TRANSLATE_NOOP("Labels", "手动备份"),
    QT_TRANSLATE_NOOP("Labels", "启动时"),
    QT_TRANSLATE_NOOP("Labels", "退出时"),
    QT_TRANSLATE_NOOP("Labels", "升级前"),
    QT_TRANSLATE_NOOP("Labels", "导入名册前"),
    QT_TRANSLATE_NOOP("Labels", "导入照片前"),
    QT_TRANSLATE_NOOP("Labels", "登记考生前"),
    QT_TRANSLATE_NOOP("Labels", "登记报名前"),
    QT_TRANSLATE_NOOP("Labels", "发证前"),
    QT_TRANSLATE_NOOP("Labels", "周一"),
    QT_TRANSLATE_NOOP("Labels", "周二"),
    QT_TRANSLATE_NOOP("Labels", "周三"),
    QT_TRANSLATE_NOOP("Labels", "周四"),
    QT_TRANSLATE_NOOP("Labels", "周五"),
    QT_TRANSLATE_NOOP("Labels", "周六"),
    QT_TRANSLATE_NOOP("Labels", "周日"),
    # jlexam.domain.levels.SkillLevel.written
    QT_TRANSLATE_NOOP("Labels", "五级/初级工"),
    QT_TRANSLATE_NOOP("Labels", "四级/中级工"),
    QT_TRANSLATE_NOOP("Labels", "三级/高级工"),
    QT_TRANSLATE_NOOP("Labels", "二级/技师"),
    QT_TRANSLATE_NOOP("Labels", "一级/高级技师"),
    # services.marking.WHOLE_SESSION
    QT_TRANSLATE_NOOP("Labels", "全部考场"),
)
SEPARATOR = QT_TRANSLATE_NOOP("Labels", "、")  # between the names of a list


# Names the services build from parts (services.arrangement.session_label / room_label, services.tickets):
# the whole is matched, each part is translated on its own and put into the translated template.
PART_NAMES = "|".join(re.escape(p) for p in ("理论知识考试", "操作技能考核", "综合评审"))
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"第(\d+)考场"), QT_TRANSLATE_NOOP("Labels", "第%1考场")),  # 第01考场
    (re.compile(r"第(\d+)考场（(.+)）"), QT_TRANSLATE_NOOP("Labels", "第%1考场（%2）")),  # 第01考场（理论一）
    (re.compile(rf"({PART_NAMES})（(.+)）"), QT_TRANSLATE_NOOP("Labels", "%1（%2）")),  # 理论知识考试（2026-10-25 09:00）
)

# Audit events (services ``uow.audit(action, entity, ...)`` and ``write_audit``): the action codes and the
# kinds of object, by their Chinese names; ``tests/ui/test_audit_page_labels.py`` collects the codes jlexam
# writes and checks that every one is named here.
AUDIT_ACTIONS: dict[str, str] = {
    "application.create": QT_TRANSLATE_NOOP("Labels", "登记报名"),
    "application.import": QT_TRANSLATE_NOOP("Labels", "导入报名名册"),
    "archive.create": QT_TRANSLATE_NOOP("Labels", "建立档案"),
    "archive.destroy": QT_TRANSLATE_NOOP("Labels", "销毁到期档案"),
    "archive.export": QT_TRANSLATE_NOOP("Labels", "导出档案包"),
    "arrangement.lock": QT_TRANSLATE_NOOP("Labels", "锁定编排"),
    "arrangement.room": QT_TRANSLATE_NOOP("Labels", "添加考场"),
    "arrangement.room_update": QT_TRANSLATE_NOOP("Labels", "修改考场"),
    "arrangement.seat_change": QT_TRANSLATE_NOOP("Labels", "锁定后调整座位"),
    "arrangement.seat_move": QT_TRANSLATE_NOOP("Labels", "调换座位"),
    "arrangement.seat_plan": QT_TRANSLATE_NOOP("Labels", "编排座位"),
    "arrangement.site": QT_TRANSLATE_NOOP("Labels", "添加考点"),
    "arrangement.sites_load": QT_TRANSLATE_NOOP("Labels", "导入考点"),
    "auth.failed": QT_TRANSLATE_NOOP("Labels", "登录失败"),
    "auth.locked": QT_TRANSLATE_NOOP("Labels", "账户被锁定"),
    "auth.login": QT_TRANSLATE_NOOP("Labels", "登录"),
    "backup.carry_forward": QT_TRANSLATE_NOOP("Labels", "恢复后接续编号"),
    "backup.create": QT_TRANSLATE_NOOP("Labels", "创建备份"),
    "backup.restore": QT_TRANSLATE_NOOP("Labels", "从备份恢复"),
    "calendar.override": QT_TRANSLATE_NOOP("Labels", "调整工作日"),
    "calendar.override_removed": QT_TRANSLATE_NOOP("Labels", "取消工作日调整"),
    "calendar.year": QT_TRANSLATE_NOOP("Labels", "录入节假日安排"),
    "candidate.register": QT_TRANSLATE_NOOP("Labels", "登记考生"),
    "candidate.reveal_id": QT_TRANSLATE_NOOP("Labels", "查看完整证件号码"),
    "catalogue.load": QT_TRANSLATE_NOOP("Labels", "更新职业目录"),
    "certificate.correct": QT_TRANSLATE_NOOP("Labels", "更正证书"),
    "certificate.issue": QT_TRANSLATE_NOOP("Labels", "发证"),
    "certificate.print": QT_TRANSLATE_NOOP("Labels", "打印证书"),
    "certificate.reissue": QT_TRANSLATE_NOOP("Labels", "补发证书"),
    "certificate.void": QT_TRANSLATE_NOOP("Labels", "作废证书"),
    "checkin.absences": QT_TRANSLATE_NOOP("Labels", "登记缺考"),
    "checkin.absent": QT_TRANSLATE_NOOP("Labels", "记录缺考"),
    "checkin.incident": QT_TRANSLATE_NOOP("Labels", "记录突发事件"),
    "checkin.misconduct": QT_TRANSLATE_NOOP("Labels", "记录违纪"),
    "checkin.record": QT_TRANSLATE_NOOP("Labels", "签到"),
    "custody.amend": QT_TRANSLATE_NOOP("Labels", "更正试卷流转记录"),
    "custody.event": QT_TRANSLATE_NOOP("Labels", "登记试卷流转"),
    "custody.key_holder": QT_TRANSLATE_NOOP("Labels", "指定保管人"),
    "custody.labels": QT_TRANSLATE_NOOP("Labels", "打印试卷袋标签"),
    "custody.log": QT_TRANSLATE_NOOP("Labels", "导出试卷流转记录"),
    "custody.packet": QT_TRANSLATE_NOOP("Labels", "登记试卷袋"),
    "eligibility.decide": QT_TRANSLATE_NOOP("Labels", "资格审核"),
    "eligibility.evaluate": QT_TRANSLATE_NOOP("Labels", "核查申报条件"),
    "eligibility.evidence": QT_TRANSLATE_NOOP("Labels", "登记证明材料"),
    "eligibility.override": QT_TRANSLATE_NOOP("Labels", "破格审核"),
    "institution.create": QT_TRANSLATE_NOOP("Labels", "登记机构"),
    "institution.refiled": QT_TRANSLATE_NOOP("Labels", "登记重新备案"),
    "institution.scope": QT_TRANSLATE_NOOP("Labels", "修改认定范围"),
    "institution.update": QT_TRANSLATE_NOOP("Labels", "修改机构信息"),
    "keys.export_public": QT_TRANSLATE_NOOP("Labels", "导出公钥"),
    "keys.export_recovery": QT_TRANSLATE_NOOP("Labels", "导出恢复密钥"),
    "keys.import_recovery": QT_TRANSLATE_NOOP("Labels", "导入恢复密钥"),
    "keys.rotate": QT_TRANSLATE_NOOP("Labels", "更换签名密钥"),
    "major.map": QT_TRANSLATE_NOOP("Labels", "对应专业与职业"),
    "marking.assign": QT_TRANSLATE_NOOP("Labels", "选配阅卷人"),
    "marking.unassign": QT_TRANSLATE_NOOP("Labels", "取消阅卷人"),
    "objection.answer": QT_TRANSLATE_NOOP("Labels", "答复异议"),
    "objection.letter": QT_TRANSLATE_NOOP("Labels", "生成异议答复函"),
    "objection.record": QT_TRANSLATE_NOOP("Labels", "登记异议"),
    "photo.import": QT_TRANSLATE_NOOP("Labels", "导入照片"),
    "photo.replace": QT_TRANSLATE_NOOP("Labels", "更换照片"),
    "publicity.export": QT_TRANSLATE_NOOP("Labels", "导出公示名单"),
    "publicity.final": QT_TRANSLATE_NOOP("Labels", "确定成绩"),
    "publicity.publish": QT_TRANSLATE_NOOP("Labels", "发布公示"),
    "report.oversight": QT_TRANSLATE_NOOP("Labels", "导出监管报告"),
    "report.termination": QT_TRANSLATE_NOOP("Labels", "导出终止备案报告"),
    "score.change": QT_TRANSLATE_NOOP("Labels", "更改成绩"),
    "score.enter": QT_TRANSLATE_NOOP("Labels", "录入成绩"),
    "score.lock": QT_TRANSLATE_NOOP("Labels", "锁定成绩"),
    "score.results": QT_TRANSLATE_NOOP("Labels", "计算认定结果"),
    "score.settle": QT_TRANSLATE_NOOP("Labels", "核定成绩"),
    "score.sheets": QT_TRANSLATE_NOOP("Labels", "生成成绩录入表"),
    "settings.entry_cutoff": QT_TRANSLATE_NOOP("Labels", "设置禁止入场时间"),
    "settings.printer_offset": QT_TRANSLATE_NOOP("Labels", "校准打印机"),
    "settings.printer_offset_removed": QT_TRANSLATE_NOOP("Labels", "取消打印机校准"),
    "sitting.announcement": QT_TRANSLATE_NOOP("Labels", "生成认定公告"),
    "sitting.close": QT_TRANSLATE_NOOP("Labels", "截止报名"),
    "sitting.create": QT_TRANSLATE_NOOP("Labels", "新建认定批次"),
    "sitting.held": QT_TRANSLATE_NOOP("Labels", "考试结束"),
    "sitting.open": QT_TRANSLATE_NOOP("Labels", "开放报名"),
    "sitting.reported": QT_TRANSLATE_NOOP("Labels", "登记已上报"),
    "sitting.session": QT_TRANSLATE_NOOP("Labels", "安排场次"),
    "staff.add": QT_TRANSLATE_NOOP("Labels", "登记考务人员"),
    "staff.assign": QT_TRANSLATE_NOOP("Labels", "安排考务人员"),
    "staff.briefing": QT_TRANSLATE_NOOP("Labels", "登记考务会"),
    "staff.change": QT_TRANSLATE_NOOP("Labels", "锁定后调整考务人员"),
    "staff.unassign": QT_TRANSLATE_NOOP("Labels", "取消安排考务人员"),
    "staff.update": QT_TRANSLATE_NOOP("Labels", "修改考务人员"),
    "standard.override": QT_TRANSLATE_NOOP("Labels", "修改职业标准参数"),
    "standard.reset": QT_TRANSLATE_NOOP("Labels", "恢复职业标准参数"),
    "stock.export": QT_TRANSLATE_NOOP("Labels", "导出证书台账"),
    "stock.issue": QT_TRANSLATE_NOOP("Labels", "空白证书领用"),
    "stock.receipt": QT_TRANSLATE_NOOP("Labels", "空白证书入库"),
    "stock.spoil": QT_TRANSLATE_NOOP("Labels", "空白证书印废"),
    "stock.stock_take": QT_TRANSLATE_NOOP("Labels", "空白证书盘点"),
    "stock.void": QT_TRANSLATE_NOOP("Labels", "空白证书作废"),
    "tickets.issue": QT_TRANSLATE_NOOP("Labels", "制发准考证"),
    "tickets.print": QT_TRANSLATE_NOOP("Labels", "打印准考证"),
    "tickets.reprint": QT_TRANSLATE_NOOP("Labels", "补打准考证"),
    "tickets.room_documents": QT_TRANSLATE_NOOP("Labels", "生成考场文书"),
    "tickets.room_records": QT_TRANSLATE_NOOP("Labels", "生成考场记录表"),
    "upload.acknowledged": QT_TRANSLATE_NOOP("Labels", "登记平台确认"),
    "upload.export": QT_TRANSLATE_NOOP("Labels", "生成上报批次"),
    "upload.uploaded": QT_TRANSLATE_NOOP("Labels", "登记已上报平台"),
    "user.active": QT_TRANSLATE_NOOP("Labels", "启用或停用用户"),
    "user.change_password": QT_TRANSLATE_NOOP("Labels", "修改密码"),
    "user.create": QT_TRANSLATE_NOOP("Labels", "新建用户"),
    "user.reset_password": QT_TRANSLATE_NOOP("Labels", "重置密码"),
    "user.roles": QT_TRANSLATE_NOOP("Labels", "修改用户角色"),
    "user.unlock": QT_TRANSLATE_NOOP("Labels", "解锁用户"),
}
AUDIT_ENTITIES: dict[str, str] = {
    "application": QT_TRANSLATE_NOOP("Labels", "报名"),
    "archive_item": QT_TRANSLATE_NOOP("Labels", "档案"),
    "backup": QT_TRANSLATE_NOOP("Labels", "备份"),
    "calendar": QT_TRANSLATE_NOOP("Labels", "日历"),
    "candidate": QT_TRANSLATE_NOOP("Labels", "考生"),
    "certificate": QT_TRANSLATE_NOOP("Labels", "证书"),
    "exam_session": QT_TRANSLATE_NOOP("Labels", "场次"),
    "institution": QT_TRANSLATE_NOOP("Labels", "机构"),
    "key_holder": QT_TRANSLATE_NOOP("Labels", "保管人"),
    "keys": QT_TRANSLATE_NOOP("Labels", "密钥"),
    "major": QT_TRANSLATE_NOOP("Labels", "专业"),
    "objection": QT_TRANSLATE_NOOP("Labels", "异议"),
    "occupation": QT_TRANSLATE_NOOP("Labels", "职业"),
    "paper_packet": QT_TRANSLATE_NOOP("Labels", "试卷袋"),
    "printer": QT_TRANSLATE_NOOP("Labels", "打印机"),
    "room": QT_TRANSLATE_NOOP("Labels", "考场"),
    "room_event": QT_TRANSLATE_NOOP("Labels", "考场记录"),
    "setting": QT_TRANSLATE_NOOP("Labels", "设置"),
    "signing_key": QT_TRANSLATE_NOOP("Labels", "签名密钥"),
    "site": QT_TRANSLATE_NOOP("Labels", "考点"),
    "sitting": QT_TRANSLATE_NOOP("Labels", "认定批次"),
    "staff_assignment": QT_TRANSLATE_NOOP("Labels", "考务安排"),
    "staff_member": QT_TRANSLATE_NOOP("Labels", "考务人员"),
    "stock_ledger": QT_TRANSLATE_NOOP("Labels", "证书台账"),
    "upload_batch": QT_TRANSLATE_NOOP("Labels", "上报批次"),
    "user": QT_TRANSLATE_NOOP("Labels", "用户"),
}


def label(text: str) -> str:
    """``text`` (a Chinese name registered above) in the window's language; unknown text comes back as is.

    A name the services build from parts (a session "理论知识考试（2026-10-25 09:00）", a room "第01考场（理论一）")
    is matched against ``PATTERNS`` and put together from its translated parts.
    """
    text = str(text)
    if not text:
        return text
    translated = QCoreApplication.translate(CONTEXT, text)
    if translated != text:
        return translated
    for pattern, template in PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return _fill(QCoreApplication.translate(CONTEXT, template), [label(part) for part in found.groups()])
    return text


def _fill(template: str, parts: list[str]) -> str:
    """``template`` with %1, %2 … replaced by ``parts`` in one pass (a part may itself hold "%2")."""
    return re.sub(r"%(\d)", lambda m: parts[int(m.group(1)) - 1], template)


def audit_action(code: str) -> str:
    """An audit event's action (``auth.login``) by its name in the window's language; unknown codes as is."""
    name = AUDIT_ACTIONS.get(code)
    return label(name) if name else code


def audit_entity(kind: str) -> str:
    """The kind of object an audit event names (``user``), in the window's language; unknown kinds as is."""
    name = AUDIT_ENTITIES.get(kind)
    return label(name) if name else kind


def joined(texts) -> str:  # type: ignore[no-untyped-def]
    """Several names as one list: joined by "、" in Chinese, by ", " in English."""
    return label(SEPARATOR).join(label(t) for t in texts)
