"""``jlexam users ...``: user administration from the shell (admin only, checked by the services)."""

from __future__ import annotations

import click

from jlexam.cli import Context, pass_ctx, read_password
from jlexam.errors import ValidationError
from jlexam.security.roles import Role, parse_roles


def _roles(text: str) -> frozenset[Role]:
    try:
        return parse_roles(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@click.group()
def users() -> None:
    """用户和角色。"""


@users.command("list")
@pass_ctx
def users_list(c: Context) -> None:
    from jlexam.services.users import list_users

    for u in list_users(c.actor()):
        roles = "、".join(r.label for r in sorted(u.roles))
        state = "启用" if u.active else "停用"
        click.echo(f"{u.username:<16} {u.display_name:<10} {state}  {roles}")


@users.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="姓名。")
@click.option("--roles", required=True, help="逗号分隔：admin, exam_office, supervisor, data_clerk。")
@pass_ctx
def users_add(c: Context, username: str, display_name: str, roles: str) -> None:
    from jlexam.services.users import create_user

    actor = c.actor()
    password = read_password(f"新用户 {username} 的密码", confirm=True, env="JLEXAM_NEW_PASSWORD")
    create_user(actor, username, display_name, password, _roles(roles))
    click.echo(f"已创建用户 {username}。")


@users.command("roles")
@click.argument("username")
@click.argument("roles")
@pass_ctx
def users_roles(c: Context, username: str, roles: str) -> None:
    from jlexam.services.users import set_roles

    set_roles(c.actor(), username, _roles(roles))
    click.echo(f"已更新 {username} 的角色。")


@users.command("unlock")
@click.argument("username")
@pass_ctx
def users_unlock(c: Context, username: str) -> None:
    from jlexam.services.users import unlock_user

    unlock_user(c.actor(), username)
    click.echo(f"已解锁 {username}。")


@users.command("disable")
@click.argument("username")
@pass_ctx
def users_disable(c: Context, username: str) -> None:
    from jlexam.services.users import set_active

    set_active(c.actor(), username, False)
    click.echo(f"已停用 {username}。")


@users.command("enable")
@click.argument("username")
@pass_ctx
def users_enable(c: Context, username: str) -> None:
    from jlexam.services.users import set_active

    set_active(c.actor(), username, True)
    click.echo(f"已启用 {username}。")
