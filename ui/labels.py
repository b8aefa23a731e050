"""The Chinese names of stored codes (domain and services constants) as the window shows them, translated.

The services name a room kind, a staff role, a custody step and so on in Chinese (``ROOM_KINDS``,
``STAFF_ROLES``, ``EventKind.label`` …). A page that shows such a name passes it through ``label()``, which
looks it up in the ``Labels`` context of the translations; lupdate only extracts literal strings, so every
name is registered below with ``QT_TRANSLATE_NOOP``. ``tests/ui/test_labels.py`` checks that every value of the
jlexam label constants is registered here: when a constant gains a name, add it below and translate it
(``scripts/build-translations.sh``).
"""

from __future__ import annotations

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
)
SEPARATOR = QT_TRANSLATE_NOOP("Labels", "、")  # between the names of a list


def label(text: str) -> str:
    """``text`` (a Chinese name registered above) in the window's language; unknown text comes back as is."""
    text = str(text)
    return QCoreApplication.translate(CONTEXT, text) if text else text


def joined(texts) -> str:  # type: ignore[no-untyped-def]
    """Several names as one list: joined by "、" in Chinese, by ", " in English."""
    return label(SEPARATOR).join(label(t) for t in texts)
