"""Writing files so that a reader never sees half of one: a temporary name in the same folder, then rename."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jlexam.errors import StorageError


def _explain(path: Path, exc: OSError) -> StorageError:
    if exc.errno == 28:  # ENOSPC
        return StorageError(f"磁盘已满，无法写入 {path}。请清理磁盘空间后重试；原文件未被改动。")
    return StorageError(f"无法写入文件 {path}：{exc.strerror}。请检查文件夹是否存在以及是否有写入权限。")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write to; it replaces ``path`` only when the block succeeds."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        os.replace(partial, path)
    except OSError as exc:
        raise _explain(path, exc) from exc
    finally:
        partial.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as partial:
        partial.write_bytes(data)
