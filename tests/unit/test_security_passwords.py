"""Password hashing and the password rule."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from jlexam.errors import ValidationError
from jlexam.security.passwords import check_password_strength, hash_password, needs_rehash, verify_password


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password("考务2024abc")


def test_right_password_verifies(stored: str) -> None:
    assert verify_password(stored, "考务2024abc")


@pytest.mark.parametrize("attempt", ["考务2024abd", "考务2024ABC", "", "考务2024abc "])
def test_wrong_password_is_false_not_an_error(stored: str, attempt: str) -> None:
    assert verify_password(stored, attempt) is False


def test_hash_is_salted_argon2id(stored: str) -> None:
    assert stored.startswith("$argon2id$")
    assert hash_password("考务2024abc") != stored


def test_unreadable_stored_hash_never_matches() -> None:
    assert verify_password("not-a-hash", "whatever1") is False
    assert verify_password("", "") is False


def test_needs_rehash_only_for_other_parameters(stored: str) -> None:
    assert needs_rehash(stored) is False
    weaker = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("考务2024abc")
    assert needs_rehash(weaker) is True
    assert verify_password(weaker, "考务2024abc")  # old hashes keep working until rehashed


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("ab12", "只有 4 个字符"),
        ("abcdefgh", "没有数字"),
        ("12345678", "没有字母"),
        ("", "只有 0 个字符"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_password_strength(password)
    assert says in caught.value.message
    assert "至少需要 8 个字符" in caught.value.message
    assert "字母和数字" in caught.value.message


def test_short_password_without_digits_names_both_problems() -> None:
    with pytest.raises(ValidationError, match="只有 3 个字符、没有数字"):
        check_password_strength("abc")


@pytest.mark.parametrize("password", ["abcdefg1", "1234567a", "张三考务员2024"])
def test_strong_enough_passwords_pass(password: str) -> None:
    check_password_strength(password)
