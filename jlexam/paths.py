"""Where jlexam finds its bundled resources and keeps its user data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "jlexam"


def resources_root() -> Path:
    """The resources folder: ``jlexam.resources`` in a wheel, ``resources/`` beside the package in a checkout.

    An editable install puts the checkout itself on the path, where the package-dir mapping of pyproject.toml
    does not apply; both cases lead to the same files.
    """
    try:
        return Path(str(resources.files("jlexam.resources")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a bundled resource file, e.g. ``resource("fonts", "x.ttf")``."""
    return resources_root().joinpath(*parts)


def user_data_dir() -> Path:
    """The per-user folder for the default database and its backups."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
