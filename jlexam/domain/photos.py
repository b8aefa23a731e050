"""What an ID photo for tickets and certificates must be (a 1-inch portrait, 25 x 35 mm).

The limits are data an institution may change; these defaults match the usual 1-inch photo at 300 dpi.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhotoRules:
    formats: frozenset[str] = frozenset({"JPEG", "PNG"})
    min_width: int = 260
    min_height: int = 360
    max_bytes: int = 2 * 1024 * 1024
    aspect: float = 25 / 35  # width / height
    aspect_tolerance: float = 0.06


DEFAULT_RULES = PhotoRules()


def photo_problems(
    fmt: str | None, width: int, height: int, size: int, rules: PhotoRules = DEFAULT_RULES
) -> list[str]:
    """Chinese messages for every way the photo breaks the rules (empty when it is fine)."""
    problems = []
    if fmt not in rules.formats:
        problems.append(f"格式为 {fmt or '未知'}，应为 JPEG 或 PNG")
    if size > rules.max_bytes:
        problems.append(f"文件 {size / 1024 / 1024:.1f} MB，超过 {rules.max_bytes // 1024 // 1024} MB")
    if width < rules.min_width or height < rules.min_height:
        problems.append(f"尺寸 {width}×{height} 像素，至少应为 {rules.min_width}×{rules.min_height}")
    if height and abs(width / height - rules.aspect) > rules.aspect_tolerance:
        problems.append(f"宽高比 {width / height:.2f}，应接近 1 寸照片的 {rules.aspect:.2f}（25×35 毫米）")
    return problems
