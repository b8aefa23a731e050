"""Field encryption (AES-256-GCM bound to its column) and the HMAC look-up index."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given
from hypothesis import strategies as st

from jlexam.errors import KeyStoreError
from jlexam.security.fieldcrypto import FieldCipher, generate_data_key

ID = "candidate.id_number"
PHONE = "candidate.phone"
KEY = bytes(range(32))


@pytest.fixture(scope="module")
def cipher() -> FieldCipher:
    return FieldCipher(KEY)


@pytest.mark.parametrize("text", ["220102199001011234", "𠮷野家 𪚥 王𡒄", "", "13800138000", "a" * 1000])
def test_round_trip(cipher: FieldCipher, text: str) -> None:
    assert cipher.decrypt(cipher.encrypt(text, ID), ID) == text


@given(st.text())
def test_round_trip_any_text(text: str) -> None:
    cipher = FieldCipher(KEY)
    assert cipher.decrypt(cipher.encrypt(text, PHONE), PHONE) == text


def test_layout_is_version_nonce_ciphertext_tag(cipher: FieldCipher) -> None:
    blob = cipher.encrypt("13800138000", PHONE)
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + len("13800138000") + 16


def test_ciphertext_does_not_contain_the_plaintext(cipher: FieldCipher) -> None:
    text = "220102199001011234"
    blob = cipher.encrypt(text, ID)
    assert text.encode() not in blob
    assert text.encode("utf-16-le") not in blob


def test_two_encryptions_differ(cipher: FieldCipher) -> None:
    first, second = cipher.encrypt("张三", ID), cipher.encrypt("张三", ID)
    assert first != second
    assert first[1:13] != second[1:13]  # a fresh nonce each time


def test_wrong_key_fails(cipher: FieldCipher) -> None:
    blob = cipher.encrypt("220102199001011234", ID)
    with pytest.raises(KeyStoreError, match=r"无法解密字段 candidate\.id_number"):
        FieldCipher(generate_data_key()).decrypt(blob, ID)


def test_any_altered_byte_fails(cipher: FieldCipher) -> None:
    blob = cipher.encrypt("22010219900101123X", ID)
    for position in range(len(blob)):
        altered = bytearray(blob)
        altered[position] ^= 0x01
        with pytest.raises(KeyStoreError):
            cipher.decrypt(bytes(altered), ID)


def test_value_cannot_move_to_another_column(cipher: FieldCipher) -> None:
    blob = cipher.encrypt("13800138000", PHONE)
    with pytest.raises(KeyStoreError, match=ID):
        cipher.decrypt(blob, ID)


def test_truncated_and_future_format_fail_clearly(cipher: FieldCipher) -> None:
    blob = cipher.encrypt("13800138000", PHONE)
    with pytest.raises(KeyStoreError):
        cipher.decrypt(blob[:20], PHONE)
    with pytest.raises(KeyStoreError, match="升级 jlexam"):
        cipher.decrypt(b"\x02" + blob[1:], PHONE)


def test_key_must_be_32_bytes() -> None:
    with pytest.raises(KeyStoreError, match="32 字节"):
        FieldCipher(b"short")
    assert len(generate_data_key()) == 32
    assert generate_data_key() != generate_data_key()


def test_index_is_stable_and_separates_contexts_and_keys(cipher: FieldCipher) -> None:
    value = "22010219900101123X"
    digest = cipher.index(value, ID)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert FieldCipher(KEY).index(value, ID) == digest  # equal text, equal index, across instances
    assert cipher.index(value, PHONE) != digest
    assert FieldCipher(generate_data_key()).index(value, ID) != digest
    assert cipher.index("22010219900101123x", ID) != digest  # exact: callers normalise first


def test_index_uses_an_hkdf_subkey_not_the_data_key(cipher: FieldCipher) -> None:
    # Hand computation of the documented construction.
    subkey = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"jlexam field index v1").derive(KEY)
    message = len(ID).to_bytes(4, "big") + ID.encode() + "张三".encode()
    assert cipher.index("张三", ID) == hmac.new(subkey, message, hashlib.sha256).hexdigest()
    assert cipher.index("张三", ID) != hmac.new(KEY, message, hashlib.sha256).hexdigest()


def test_index_context_boundary_is_unambiguous(cipher: FieldCipher) -> None:
    assert cipher.index("bc", "x.a") != cipher.index("c", "x.ab")
