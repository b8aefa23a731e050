"""Plausible Chinese names for demo candidates and staff.

Surnames are weighted roughly by how common they are in north-east China, with a few two-character
surnames (欧阳, 司马, …). About 0.5 % of names carry a rare character outside the Basic Multilingual Plane
(e.g. 𠇔 U+201D4, 𡈼 U+2123C, 𪚥 U+2A6A5): real rosters contain such names, and every layer — database,
workbooks, PDFs with an embedded font, masking, QR payloads — must carry them through unchanged.
"""

from __future__ import annotations

import random
from itertools import accumulate

from jlexam.domain.idcard import Sex

# (surname, relative weight); weights are per mille, roughly.
_SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 74), ("李", 72), ("张", 70), ("刘", 55), ("陈", 40), ("杨", 32), ("赵", 28), ("黄", 20),
    ("周", 18), ("吴", 16), ("徐", 15), ("孙", 20), ("胡", 12), ("朱", 11), ("高", 14), ("林", 9),
    ("何", 9), ("郭", 11), ("马", 13), ("罗", 7), ("梁", 8), ("宋", 9), ("郑", 7), ("谢", 6),
    ("韩", 9), ("唐", 6), ("冯", 7), ("于", 10), ("董", 7), ("萧", 3), ("程", 5), ("曹", 6),
    ("袁", 4), ("邓", 4), ("许", 6), ("傅", 3), ("沈", 4), ("曾", 3), ("彭", 3), ("吕", 5),
    ("苏", 5), ("卢", 4), ("蒋", 3), ("蔡", 3), ("贾", 4), ("丁", 4), ("魏", 5), ("薛", 3),
    ("叶", 3), ("阎", 3), ("余", 2), ("潘", 3), ("杜", 4), ("戴", 2), ("夏", 2), ("钟", 2),
    ("汪", 2), ("田", 5), ("任", 4), ("姜", 6), ("范", 3), ("方", 3), ("石", 4), ("姚", 3),
    ("谭", 2), ("廖", 1), ("邹", 2), ("熊", 1), ("金", 6), ("陆", 2), ("郝", 4), ("孔", 2),
    ("白", 4), ("崔", 6), ("康", 2), ("毛", 2), ("邱", 2), ("秦", 2), ("江", 2), ("史", 2),
    ("顾", 2), ("侯", 3), ("邵", 2), ("孟", 3), ("龙", 1), ("万", 2), ("段", 2), ("雷", 1),
    ("钱", 1), ("汤", 1), ("尹", 3), ("黎", 1), ("易", 1), ("常", 3), ("武", 3), ("乔", 2),
    ("贺", 2), ("赖", 1), ("龚", 1), ("文", 1), ("庞", 2), ("樊", 1), ("兰", 1), ("殷", 1),
    ("施", 1), ("陶", 1), ("洪", 1), ("翟", 2), ("安", 2), ("颜", 1), ("倪", 1), ("严", 2),
    ("牛", 2), ("温", 1), ("芦", 1), ("季", 1), ("俞", 1), ("章", 1), ("鲁", 2), ("葛", 1),
    ("伍", 1), ("韦", 1), ("申", 1), ("尤", 1), ("毕", 1), ("聂", 1), ("丛", 1), ("焦", 1),
    ("向", 1), ("柳", 1), ("邢", 1), ("路", 1), ("岳", 2), ("齐", 2), ("梅", 1),
    ("莫", 1), ("庄", 1), ("辛", 1), ("管", 1), ("祝", 1), ("左", 1), ("涂", 1), ("谷", 1),
    ("祁", 1), ("时", 1), ("舒", 1), ("耿", 1), ("牟", 1), ("卜", 1), ("詹", 1),
    ("关", 3), ("苗", 1), ("凌", 1), ("费", 1), ("纪", 1), ("靳", 1), ("盛", 1), ("童", 1),
    ("欧", 1), ("甄", 1), ("项", 1), ("曲", 2), ("成", 1), ("游", 1), ("阳", 1), ("裴", 1),
    ("席", 1), ("卫", 1), ("查", 1), ("屈", 1), ("鲍", 1), ("位", 1), ("覃", 1), ("霍", 1),
    ("翁", 1), ("隋", 1), ("甘", 1), ("景", 1), ("薄", 1), ("单", 1), ("包", 1),
    ("司", 1), ("柏", 1), ("宁", 1), ("柯", 1), ("阮", 1), ("桂", 1), ("闵", 1), ("朴", 2),
    ("全", 1), ("佟", 2), ("那", 1), ("富", 1), ("付", 3), ("闫", 3), ("栾", 1), ("初", 1),
    # two-character surnames
    ("欧阳", 1), ("司马", 1), ("上官", 1), ("诸葛", 1), ("东方", 1), ("皇甫", 1), ("慕容", 1),
    ("令狐", 1), ("司徒", 1), ("夏侯", 1), ("公孙", 1), ("宇文", 1), ("长孙", 1), ("尉迟", 1),
)

_COMMON_GIVEN = (
    "文明华国建平志伟德春海永立新伟军明辉晓宇鹏飞涛磊博子浩然天佳嘉俊杰思远宏刚一凯东亮"
    "成强勇锋斌超林峰雪梅丽娟芳玲敏静秀英桂兰红霞艳萍婷颖莹雨欣悦怡琳璐蕾晶宁宸瑞泽睿轩"
)
_MALE_GIVEN = "伟强军磊勇斌超刚鹏飞涛杰浩宇轩博辰航铭昊晨阳峰鑫旭东波龙彬健坤志国栋亮凯诚毅松柏"
_FEMALE_GIVEN = "丽娟芳玲敏静秀英桂兰红霞艳萍婷颖莹雪梅欣悦怡琳璐蕾晶妍娜倩雯菲琪瑶璇月彤钰涵馨蕊薇"

# Rare characters outside the BMP that real people carry in their names.
RARE_CHARACTERS: tuple[str, ...] = (
    "\U000201d4",  # 𠇔
    "\U0002123c",  # 𡈼
    "\U0002a6a5",  # 𪚥
    "\U0002cc56",  # 𬱖
    "\U0002b5af",  # 𫖯
    "\U0002c1d9",  # 𬇙
    "\U0002c35b",  # 𬍛
    "\U0002bb62",  # 𫭢
    "\U0002c317",  # 𬌗
    "\U00025532",  # 𥔲
)
RARE_RATE = 0.005

_SURNAME_LIST = tuple(s for s, _ in _SURNAMES)
_SURNAME_CUM = tuple(accumulate(w for _, w in _SURNAMES))
_MALE_POOL = _COMMON_GIVEN + _MALE_GIVEN * 2
_FEMALE_POOL = _COMMON_GIVEN + _FEMALE_GIVEN * 2


def make_surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM, k=1)[0]


def make_name(rng: random.Random, sex: Sex) -> str:
    """A full name (surname + one or two given-name characters) suited to ``sex``.

    Consumes a fixed pattern of draws from ``rng`` for a given outcome, so the same seed gives the same names.
    """
    surname = make_surname(rng)
    pool = _MALE_POOL if sex == Sex.MALE else _FEMALE_POOL
    length = 1 if rng.random() < 0.28 else 2
    given = [rng.choice(pool) for _ in range(length)]
    if length == 2 and given[0] == given[1] and rng.random() < 0.7:
        given[1] = rng.choice(pool)  # reduplicated names (婷婷) exist but are less common
    if rng.random() < RARE_RATE:
        given[rng.randrange(length)] = rng.choice(RARE_CHARACTERS)
    return surname + "".join(given)


def has_non_bmp(text: str) -> bool:
    """True when ``text`` holds a character outside the Basic Multilingual Plane."""
    return any(ord(ch) > 0xFFFF for ch in text)
