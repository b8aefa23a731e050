"""Reading a file the user chose, with one clear Chinese answer for each way it cannot be read."""

from __future__ import annotations

from pathlib import Path

from jlexam.errors import ValidationError


def read_user_file(path: Path, what: str) -> bytes:
    """The bytes of ``path``; ``what`` names the expected file (e.g. "报名名单的 .xlsx 文件") in messages."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"找不到文件 {path}：请检查文件是否已被移动或改名。") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} 是文件夹，不是文件：请选择{what}。") from None
    except OSError as exc:
        raise ValidationError(
            f"无法读取文件 {path.name}：{exc.strerror}。如文件正在 Excel 中打开，请关闭后重试。"
        ) from None
