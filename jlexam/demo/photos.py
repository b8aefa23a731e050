"""Placeholder ID photos: a drawn head-and-shoulders figure on a plain background.

A 1-inch ID photo (一寸照) is 25 x 35 mm; at 300 dpi that is 295 x 413 pixels. The figure's skin, hair,
clothes and background vary with the seed, so a seat plan or a certificate run shows different faces, yet
nobody could take one for a real person. The same seed and sex always give the same JPEG bytes.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from jlexam.domain.idcard import Sex

WIDTH, HEIGHT = 295, 413  # 25 x 35 mm at 300 dpi
DPI = 300
JPEG_QUALITY = 80

_BACKGROUNDS = ((67, 142, 219), (96, 164, 230), (142, 192, 238), (255, 255, 255), (246, 248, 250))
_SKINS = ((241, 204, 176), (233, 190, 160), (224, 176, 141), (210, 161, 126), (246, 214, 190))
_HAIRS = ((25, 22, 22), (38, 30, 28), (52, 40, 33), (70, 52, 40), (30, 28, 32))
_CLOTHES = (
    (32, 40, 60), (24, 24, 28), (52, 62, 84), (70, 70, 76), (92, 30, 40), (28, 58, 96), (60, 72, 60),
    (120, 120, 128),
)
_SHIRTS = ((250, 250, 250), (228, 236, 246), (244, 240, 232))


def _shade(color: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    r, g, b = color
    return (int(r * factor), int(g * factor), int(b * factor))


def make_photo(seed: int, sex: Sex) -> bytes:
    """A JPEG placeholder ID photo (295 x 413 px, 300 dpi) for a person of ``sex``, fixed by ``seed``."""
    rng = random.Random(f"photo:{seed}:{sex.value}")
    background = rng.choice(_BACKGROUNDS)
    skin = rng.choice(_SKINS)
    hair = rng.choice(_HAIRS)
    clothes = rng.choice(_CLOTHES)
    shirt = rng.choice(_SHIRTS)
    female = sex == Sex.FEMALE

    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    cx = WIDTH // 2 + rng.randint(-6, 6)
    head_w = rng.randint(104, 118) - (6 if female else 0)
    head_h = int(head_w * rng.uniform(1.28, 1.38))
    head_top = rng.randint(70, 88)
    head_bottom = head_top + head_h
    left, right = cx - head_w // 2, cx + head_w // 2

    # Long hair falls behind the shoulders; draw it first.
    if female and rng.random() < 0.8:
        length = rng.randint(60, 140)
        draw.rounded_rectangle(
            (left - 16, head_top + 20, right + 16, head_bottom + length), radius=40, fill=hair
        )

    # Shoulders and jacket.
    shoulder_top = head_bottom + rng.randint(18, 30)
    draw.rounded_rectangle((cx - 150, shoulder_top, cx + 150, HEIGHT + 60), radius=70, fill=clothes)
    # Neck and the shirt's V under it.
    neck_w = head_w // 3
    neck = (cx - neck_w // 2, head_bottom - 20, cx + neck_w // 2, shoulder_top + 14)
    draw.rectangle(neck, fill=_shade(skin, 0.9))
    v_bottom = shoulder_top + rng.randint(70, 100)
    draw.polygon(
        [(cx - neck_w, shoulder_top + 4), (cx + neck_w, shoulder_top + 4), (cx, v_bottom)], fill=shirt
    )
    draw.polygon(
        [(cx - neck_w // 2, shoulder_top + 2), (cx + neck_w // 2, shoulder_top + 2), (cx, shoulder_top + 34)],
        fill=_shade(skin, 0.9),
    )
    if not female and rng.random() < 0.6:  # a tie
        tie = rng.choice(((140, 30, 36), (30, 50, 110), (60, 60, 66)))
        draw.polygon(
            [(cx - 7, shoulder_top + 30), (cx + 7, shoulder_top + 30), (cx + 11, v_bottom - 6),
             (cx, v_bottom + 6), (cx - 11, v_bottom - 6)],
            fill=tie,
        )
    # Lapels.
    draw.line([(cx - neck_w, shoulder_top + 4), (cx - 4, v_bottom)], fill=_shade(clothes, 0.7), width=4)
    draw.line([(cx + neck_w, shoulder_top + 4), (cx + 4, v_bottom)], fill=_shade(clothes, 0.7), width=4)

    # Ears, face, hair on top.
    ear_y = head_top + head_h // 2 - 10
    draw.ellipse((left - 9, ear_y - 16, left + 10, ear_y + 18), fill=_shade(skin, 0.93))
    draw.ellipse((right - 10, ear_y - 16, right + 9, ear_y + 18), fill=_shade(skin, 0.93))
    draw.ellipse((left, head_top, right, head_bottom), fill=skin)
    fringe = rng.randint(int(head_h * 0.22), int(head_h * 0.32))
    draw.chord((left - 4, head_top - 10, right + 4, head_top + fringe * 2), 180, 360, fill=hair)
    if female:
        draw.chord((left - 6, head_top - 6, right + 6, head_top + head_h // 2 + 20), 150, 210, fill=hair)
        draw.chord((left - 6, head_top - 6, right + 6, head_top + head_h // 2 + 20), 330, 30, fill=hair)

    # A calm face: brows, eyes, nose, mouth.
    eye_y = head_top + int(head_h * 0.47)
    eye_dx = head_w // 5
    for side in (-1, 1):
        ex = cx + side * eye_dx
        draw.line([(ex - 11, eye_y - 13), (ex + 11, eye_y - 14)], fill=_shade(hair, 1.0), width=3)
        draw.ellipse((ex - 6, eye_y - 4, ex + 6, eye_y + 4), fill=(40, 32, 30))
    nose_y = eye_y + int(head_h * 0.16)
    draw.line([(cx, eye_y + 6), (cx - 3, nose_y), (cx + 4, nose_y)], fill=_shade(skin, 0.78), width=2)
    mouth_y = nose_y + int(head_h * 0.11)
    lips = (186, 96, 96) if female else _shade(skin, 0.7)
    draw.arc((cx - 16, mouth_y - 8, cx + 16, mouth_y + 6), 20, 160, fill=lips, width=3)

    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, dpi=(DPI, DPI), optimize=False)
    return out.getvalue()
