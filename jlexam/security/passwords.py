"""Password hashing (argon2id) and the strength rule for user passwords."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from jlexam.errors import ValidationError

MIN_LENGTH = 8

# argon2id, 48 MiB, 3 passes, 2 lanes: about 60 ms per hash on a 2-core office PC, so a login stays quick
# while an offline guess costs the same memory and time. Stored hashes carry their own parameters, so
# raising these later only needs needs_rehash() at the next login.
_HASHER = PasswordHasher(time_cost=3, memory_cost=48 * 1024, parallelism=2, hash_len=32, salt_len=16,
                         type=Type.ID)


def hash_password(password: str) -> str:
    """The PHC string ``$argon2id$...`` to store for ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True only if ``password`` matches; a wrong password or an unreadable stored hash gives False."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        # An unreadable hash must not let anyone in, nor crash the login window; an admin resets it.
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (rehash after a good login)."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def check_password_strength(password: str) -> None:
    """Raise ValidationError unless the password has at least 8 characters, letters and digits."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"只有 {len(password)} 个字符")
    if not any(ch.isalpha() for ch in password):
        problems.append("没有字母")
    if not any(ch.isdigit() for ch in password):
        problems.append("没有数字")
    if problems:
        raise ValidationError(
            f"密码太弱：{'、'.join(problems)}。密码至少需要 {MIN_LENGTH} 个字符，并且同时包含字母和数字，"
            "请换一个符合要求的密码。"
        )
