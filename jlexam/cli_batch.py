"""``jlexam batch ...``: upload batches from the shell. ``verify`` needs no database and no login.

Register in ``jlexam/cli.py`` (``_register_more``)::

    from jlexam import cli_batch
    cli.add_command(cli_batch.batch)

Exit codes of ``batch verify``: 0 intact, 3 a batch that fails verification, 1 input that cannot be read
(a missing or unreadable file, an invalid trusted public key).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jlexam.errors import JlexamError

# The same values as jlexam.cli's, not imported from there: that module loads the database layer. Exits go
# through sys.exit, which jlexam.cli.main turns into its return code (a click ctx.exit would be lost there).
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHECK_FAILED = 3


@click.group()
def batch() -> None:
    """数据上报数据包。"""


@batch.command("verify")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--public-key",
    "public_key",
    type=click.Path(path_type=Path),
    default=None,
    help="受信任的机构签名公钥（PEM，由 jlexam keys export-public 导出）；不给出时用数据包内嵌的公钥。",
)
def batch_verify(file: Path, public_key: Path | None) -> None:
    """校验上报数据包 FILE.zip 的签名、文件摘要和清单；完好时退出码为 0，校验不通过为 3，无法读取为 1。"""
    from jlexam.exchange.archive_package import verify_package as verify_batch  # batches and archive packages

    try:
        pem = _read_pem(public_key) if public_key is not None else None
        report = verify_batch(file, pem)
    except JlexamError as exc:
        click.echo(f"错误：{exc.message}", err=True)
        sys.exit(EXIT_ERROR)
    for check in report.checks:
        click.echo(f"{'通过' if check.ok else '失败'}  {check.label}：{check.detail}")
    if report.ok:
        trust = (
            "（已用受信任公钥验证）"
            if report.trusted_key_given
            else "（仅用内嵌公钥验证：请用 --public-key 核对签发机构）"
        )
        click.echo(f"结论：数据包完好{trust}。")
    else:
        click.echo(f"结论：数据包校验未通过，共 {len(report.problems)} 处问题，请勿上报，重新生成数据包。")
        sys.exit(EXIT_CHECK_FAILED)


def _read_pem(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise JlexamError(f"找不到公钥文件 {path}：请检查路径。") from None
    except OSError as exc:
        raise JlexamError(f"无法读取公钥文件 {path}：{exc.strerror}。") from None
