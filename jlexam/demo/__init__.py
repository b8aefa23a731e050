"""Deterministic demo data: candidates, placeholder photos and an institution, without a database.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same data on every machine.
The occupation catalogue it draws from is :mod:`jlexam.exchange.catalogue`.
"""

from __future__ import annotations

from jlexam.demo.institution import demo_institution
from jlexam.demo.names import make_name
from jlexam.demo.people import DemoPerson, make_people, meets_typical_conditions
from jlexam.demo.photos import make_photo

__all__ = [
    "DemoPerson",
    "demo_institution",
    "make_name",
    "make_people",
    "make_photo",
    "meets_typical_conditions",
]
