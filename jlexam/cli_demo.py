"""``jlexam demo``: the headless demonstration pipeline (DESIGN.md "Command line")."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="输出文件夹。")
@click.option(
    "--candidates", "candidates_count", type=click.IntRange(1, 100_000), default=2000, show_default=True
)
@click.option("--seed", type=int, default=2026, show_default=True, help="随机种子：同一种子得到同样的数据。")
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="用此名单工作簿中的考生（经正常导入流程）。",
)
def demo(out: Path, candidates_count: int, seed: int, roster: Path | None) -> None:
    """在 OUT 中新建演示数据库，并把一个认定批次走完已开发的各个阶段。"""
    from jlexam.demo.pipeline import run_demo

    result = run_demo(
        out,
        candidates_count=candidates_count,
        seed=seed,
        roster=roster,
        say=lambda line: click.echo(f"· {line}"),
    )
    click.echo(f"演示完成。输出在 {result.out}，说明见 {result.out / 'README.txt'}")
