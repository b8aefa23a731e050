"""The ``jlexam`` command: a thin adapter over the services (DESIGN.md "Command line").

Errors are one Chinese line on stderr and a non-zero exit; a traceback only with ``--debug``.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from jlexam.errors import JlexamError
from jlexam.store.database import Database, default_url

EXIT_ERROR = 1
EXIT_CHECK_FAILED = 3  # a verification that ran and found a problem


@dataclass
class Context:
    db_url: str
    username: str | None
    debug: bool
    _db: Database | None = None

    def database(self, *, must_exist: bool = True) -> Database:
        if self._db is None:
            self._db = Database(self.db_url)
            if must_exist:
                self._db.check_schema()
        return self._db

    def actor(self):  # type: ignore[no-untyped-def]
        from jlexam.services.auth import login

        db = self.database()
        if not self.username:
            raise click.UsageError("请用 --user 指定操作用户（或设置环境变量 JLEXAM_USER）。")
        return login(db, self.username, read_password(f"用户 {self.username} 的密码"))


def read_password(prompt: str, *, confirm: bool = False, env: str = "JLEXAM_PASSWORD") -> str:
    """From the environment variable, else from a prompt; never from a command-line argument."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise JlexamError(f"未提供密码：请在终端中运行以便输入，或设置环境变量 {env}。")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", envvar="JLEXAM_DB", default=None, help="数据库 URL 或 SQLite 文件路径。")
@click.option("--user", "username", envvar="JLEXAM_USER", default=None, help="操作用户名。")
@click.option(
    "--keyring",
    "keyring_spec",
    envvar="JLEXAM_KEYRING",
    default=None,
    help="密钥库：留空为系统密钥库；file:<路径> 为口令加密的文件密钥库。",
)
@click.option("--debug", is_flag=True, help="出错时显示完整的调用栈。")
@click.version_option(package_name="jlexam")
@click.pass_context
def cli(
    ctx: click.Context, db_url: str | None, username: str | None, keyring_spec: str | None, debug: bool
) -> None:
    """jlexam 职业技能等级认定考务系统。"""
    from jlexam.security.keystore import configure_keyring

    if keyring_spec:
        configure_keyring(keyring_spec, os.environ.get("JLEXAM_KEYRING_PASSPHRASE"))
    ctx.obj = Context(db_url=db_url or default_url(), username=username, debug=debug)


@cli.command()
@click.option("--admin", "admin_name", default="admin", show_default=True, help="初始管理员用户名。")
@click.option("--display-name", default="系统管理员", show_default=True)
@pass_ctx
def init(c: Context, admin_name: str, display_name: str) -> None:
    """创建或升级数据库，并创建初始管理员。"""
    from jlexam.security.keystore import KeyStore
    from jlexam.services.users import create_first_admin, has_users
    from jlexam.store.backup import backup_before

    db = c.database(must_exist=False)
    state = db.schema_state()
    if state.status == "older":
        backup_before(db, "upgrade")
    db.upgrade()
    click.echo(f"数据库已就绪：{db.display_name}（结构版本 {db.schema_state().current}）")
    if not has_users(db):
        password = read_password(f"为管理员 {admin_name} 设置密码", confirm=True)
        create_first_admin(db, admin_name, password, display_name)
        click.echo(f"已创建初始管理员 {admin_name}。")
    KeyStore(db.database_id).ensure_keys()
    click.echo("签名密钥和数据密钥已就绪。")


@cli.group()
def audit() -> None:
    """审计日志。"""


@audit.command("verify")
@pass_ctx
def audit_verify(c: Context) -> None:
    """重新计算审计链和试卷流转链；全部完好时退出码为 0。"""
    from jlexam.services.audit import verify_chains

    reports = verify_chains(c.actor())
    broken = [r for r in reports if not r.intact]
    for r in reports:
        if r.intact:
            click.echo(f"完好  {r.label}：{r.links} 条记录")
        else:
            click.echo(f"损坏  {r.label}：{r.problems[0].message}（共 {len(r.problems)} 处问题）")
    if broken:
        sys.exit(EXIT_CHECK_FAILED)


@cli.group()
def keys() -> None:
    """签名密钥和数据密钥。"""


@keys.command("export-public")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def keys_export_public(c: Context, out: Path) -> None:
    """导出签名公钥（PEM）。"""
    from jlexam.services.keys import export_public_key

    kid = export_public_key(c.actor(), out)
    click.echo(f"公钥已写入 {out}（密钥标识 {kid}）")


@keys.command("status")
def keys_status() -> None:
    """显示密钥库状态。"""
    from jlexam.services.keys import keyring_status

    status = keyring_status()
    click.echo(f"密钥库：{status.backend}（{'可用' if status.usable else '不可用'}）")
    if status.message:
        click.echo(status.message)
    if not status.usable:
        sys.exit(EXIT_ERROR)


@keys.command("export-recovery")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_ctx
def keys_export_recovery(c: Context, out: Path) -> None:
    """把全部密钥导出为口令保护的恢复文件（重装电脑后用 import-recovery 导入）。"""
    from jlexam.services.keys import export_recovery

    actor = c.actor()
    phrase = read_password("恢复文件口令", confirm=True, env="JLEXAM_RECOVERY_PASSPHRASE")
    export_recovery(actor, out, phrase)
    click.echo(f"恢复文件已写入 {out}。请把它和口令分开妥善保管。")


@keys.command("import-recovery")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="替换本机已有的不同密钥。")
@pass_ctx
def keys_import_recovery(c: Context, source: Path, overwrite: bool) -> None:
    """从恢复文件导入密钥。"""
    from jlexam.services.keys import import_recovery

    actor = c.actor()
    phrase = read_password("恢复文件口令", env="JLEXAM_RECOVERY_PASSPHRASE")
    import_recovery(actor, source, phrase, overwrite)
    click.echo("密钥已导入。")


@cli.group()
def backup() -> None:
    """数据库备份（SQLite）。"""


@backup.command("list")
@pass_ctx
def backup_list(c: Context) -> None:
    """列出备份，最新的在前。"""
    from jlexam.services.backups import list_backups

    db = c.database(must_exist=False)
    rows = list_backups(db)
    if not rows:
        click.echo("没有备份。")
    for info in rows:
        when = info.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"{when}  {info.reason:<24} {info.size / 1024:>9.0f} KB  {info.path.name}")


@backup.command("create")
@pass_ctx
def backup_create(c: Context) -> None:
    """立即创建一个备份。"""
    from jlexam.services.backups import create_backup

    path = create_backup(c.actor())
    click.echo(f"备份已创建：{path}")


@backup.command("restore")
@click.argument("name")
@pass_ctx
def backup_restore(c: Context, name: str) -> None:
    """用备份 NAME（文件名或路径）替换当前数据库；须为该备份中的系统管理员。"""
    from jlexam.services.backups import find_backup, restore

    if not c.username:
        raise click.UsageError("请用 --user 指定系统管理员用户名。")
    db = c.database(must_exist=False)
    path = find_backup(db, name)
    result = restore(db, path, c.username, read_password(f"用户 {c.username} 的密码"))
    click.echo(result.message + (f"\n原文件保存在 {result.kept}。" if result.kept else ""))


def _register_more() -> None:
    """Commands that live in their own modules."""
    from jlexam import (
        cli_archive,
        cli_arrangement,
        cli_batch,
        cli_custody,
        cli_demo,
        cli_registration,
        cli_results,
        cli_users,
    )

    cli.add_command(cli_batch.batch)
    cli.add_command(cli_users.users)
    cli.add_command(cli_custody.custody)
    cli.add_command(cli_demo.demo)
    for command in [
        *cli_registration.COMMANDS,
        *cli_arrangement.COMMANDS,
        *cli_results.COMMANDS,
        *cli_archive.COMMANDS,
    ]:
        cli.add_command(command)


@cli.command()
@pass_ctx
def gui(c: Context) -> None:
    """打开桌面程序。"""
    from ui.app import main as gui_main

    sys.exit(gui_main(["--db", c.db_url]))


def main(argv: list[str] | None = None) -> int:
    _register_more()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="jlexam", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except JlexamError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"错误：{exc.message}", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    except Exception as exc:  # the one place that turns any failure into one line
        if debug:
            traceback.print_exc()
        click.echo(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）", err=True)
        return EXIT_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main())
