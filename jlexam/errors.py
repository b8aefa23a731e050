"""Errors a user can be shown.

Every error the core raises for a user carries a Chinese message that says what is wrong, where, and how to
fix it. The command line prints ``message`` on one line; the windows show it in a dialog.
"""

from __future__ import annotations


class JlexamError(Exception):
    """Base of every error meant for the user; ``message`` is Chinese and complete."""

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule  # the regulation article, e.g. "002 §25", when the error enforces one

    def __str__(self) -> str:
        return self.message


class ValidationError(JlexamError):
    """Input that breaks a rule or a format; nothing was changed."""


class PermissionDenied(JlexamError):
    """The acting user's roles do not allow the use case."""


class NotFound(JlexamError):
    """A record the user named does not exist."""


class StateError(JlexamError):
    """The step is not allowed in the current state (a guard of the sitting's life failed)."""


class StorageError(JlexamError):
    """The database or a file cannot be used as it is (too new, corrupt, unreachable, disk full)."""


class KeyStoreError(JlexamError):
    """Keys cannot be read or written (no keyring backend, wrong passphrase, missing key)."""
