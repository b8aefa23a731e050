"""Roles and the one permission matrix (DESIGN.md "Who uses it").

Services check these permissions; the windows only hide what a role may not use. A person may hold several
roles. Each permission names the roles that hold it, so a reviewer can read who may do what in one place.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EXAM_OFFICE = "exam_office"
    SUPERVISOR = "supervisor"
    DATA_CLERK = "data_clerk"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.EXAM_OFFICE: "考务人员",
    Role.SUPERVISOR: "主考/质量督导",
    Role.DATA_CLERK: "数据员",
}

ALL = frozenset(Role)
A, E, S, D = Role.ADMIN, Role.EXAM_OFFICE, Role.SUPERVISOR, Role.DATA_CLERK

# permission -> (roles that hold it, Chinese description used in refusals)
PERMISSIONS: dict[str, tuple[frozenset[Role], str]] = {
    "users.manage": (frozenset({A}), "管理用户和角色"),
    "keys.manage": (frozenset({A}), "管理签名密钥和数据密钥"),
    "keys.export_public": (frozenset({A, D}), "导出签名公钥"),
    "backup.manage": (frozenset({A}), "创建和恢复备份"),
    "settings.manage": (frozenset({A}), "修改系统设置"),
    "calendar.manage": (frozenset({A}), "维护节假日安排"),
    "calendar.view": (ALL, "查看工作日日历"),
    "audit.view": (frozenset({A, S}), "查看审计日志"),
    "audit.verify": (frozenset({A, S, D}), "校验审计链"),
    "institution.view": (ALL, "查看机构信息"),
    "institution.edit": (frozenset({A, E}), "修改机构备案信息"),
    "catalogue.edit": (frozenset({A, E}), "维护职业目录"),
    "sitting.view": (ALL, "查看认定批次"),
    "sitting.manage": (frozenset({E}), "创建和编辑认定批次"),
    "candidates.view": (frozenset({E, S}), "查看考生信息"),
    "candidates.edit": (frozenset({E}), "登记和导入考生"),
    "personal_data.reveal": (frozenset({E, S}), "查看完整证件号码"),
    "registration.manage": (frozenset({E}), "开放和截止报名、录入报名"),
    "eligibility.review": (frozenset({E, S}), "审核报名资格"),
    "eligibility.override": (frozenset({S}), "对未满足申报条件的报名破格通过"),
    "custody.record": (frozenset({E, S}), "登记试卷流转"),
    "custody.view": (frozenset({E, S}), "查看试卷流转记录"),
    "custody.keys": (frozenset({A, S}), "登记保密室钥匙保管人"),
    "settings.view": (ALL, "查看系统设置"),
    "scores.enter": (frozenset({E}), "录入成绩"),
    "scores.settle": (frozenset({S}), "核对双人录入的不一致并锁定成绩"),
    "scores.change": (frozenset({S}), "更正已锁定的成绩"),
    "marking.manage": (frozenset({E, S}), "选配阅卷人员（从合格的考评员中）"),
    "publicity.manage": (frozenset({S}), "发布成绩公示、答复异议、确定成绩"),
    "publicity.objection": (frozenset({E, S}), "登记异议"),
    "arrangement.manage": (frozenset({E}), "管理考点考场、编排座位、安排考务人员"),
    "arrangement.lock": (frozenset({S}), "审定并锁定考场编排和考务人员安排"),
    "tickets.print": (frozenset({E, S}), "生成准考证和考场文书"),
    "checkin.record": (frozenset({E, S}), "考试签到和考场记录"),
    "certificates.issue": (frozenset({S}), "发放、补发和更正证书"),
    "stock.custody": (frozenset({A, S, E}), "登记空白证书台账"),
    "upload.manage": (frozenset({D}), "生成、签名和登记数据上报批次"),
    # Later stages (issues 5, 7-9) check these when they are built; the navigation already shows pages by them.
    "arrangement.view": (frozenset({E, S}), "查看考场编排"),
    "staff.view": (frozenset({E, S}), "查看考务人员"),
    "tickets.view": (frozenset({E, S}), "查看准考证与签到"),
    "scores.view": (frozenset({E, S}), "查看成绩"),
    "publicity.view": (frozenset({E, S, D}), "查看成绩公示"),
    "certificates.view": (frozenset({E, S, D}), "查看证书"),
    "upload.view": (frozenset({S, D}), "查看数据上报"),
    "archive.view": (frozenset({A, S, D}), "查看档案"),
    # Issue 9: archives (002 §34-36), confidential exports (002 §31-33), oversight reports.
    "archive.manage": (frozenset({S}), "将已上报的认定批次归档"),
    "archive.export": (frozenset({S}), "导出认定批次档案包（含考生个人信息和考务编排）"),
    "archive.destroy": (frozenset({A}), "销毁保管期已满的档案"),
    "reports.view": (frozenset({A, S}), "查看和导出监管统计报表"),
    "reports.termination": (frozenset({A, S}), "导出终止备案报告（含已发证书名单）"),
}


def has_permission(roles: frozenset[Role] | frozenset[str], permission: str) -> bool:
    allowed, _ = PERMISSIONS[permission]
    return any(Role(r) in allowed for r in roles)


def permission_label(permission: str) -> str:
    return PERMISSIONS[permission][1]


def roles_holding(permission: str) -> frozenset[Role]:
    return PERMISSIONS[permission][0]


def parse_roles(names: str | list[str] | tuple[str, ...]) -> frozenset[Role]:
    """Roles from code names or Chinese labels, comma-separated or a list (ValueError names the bad one)."""
    items = names.replace("，", ",").split(",") if isinstance(names, str) else list(names)
    by_label = {label: role for role, label in ROLE_LABELS.items()}
    result: set[Role] = set()
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if item in by_label:
            result.add(by_label[item])
        elif item in Role._value2member_map_:
            result.add(Role(item))
        else:
            known = "、".join(f"{r.value}（{r.label}）" for r in Role)
            raise ValueError(f"未知角色“{item}”。可用角色：{known}。")
    return frozenset(result)
