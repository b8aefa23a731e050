"""Encryption of sensitive columns (ID numbers, phone numbers) and their exact-match look-up index.

Stored value: ``version (1 byte) || nonce (12 bytes) || AES-256-GCM ciphertext and tag``. The column name
(``context``, e.g. "candidate.id_number") is authenticated as associated data, so a value copied into another
column or row type fails to decrypt. Two subkeys are derived from the data key with HKDF: one encrypts, the
other keys the HMAC index, so the index never reveals anything about the encryption key.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jlexam.errors import KeyStoreError

KEY_SIZE = 32
FORMAT_V1 = 1
_NONCE_SIZE = 12
_TAG_SIZE = 16
_HEADER = bytes([FORMAT_V1])


def generate_data_key() -> bytes:
    """A new random 256-bit data key (kept in the keyring by KeyStore)."""
    return os.urandom(KEY_SIZE)


def _subkey(data_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None,
                info=b"jlexam field " + purpose).derive(data_key)


def _context_bytes(context: str) -> bytes:
    if not context:
        raise ValueError("context must name the column, e.g. 'candidate.id_number'")
    return context.encode("utf-8")


class FieldCipher:
    """Encrypts, decrypts and indexes column values with one database's data key."""

    def __init__(self, data_key: bytes) -> None:
        if not isinstance(data_key, bytes) or len(data_key) != KEY_SIZE:
            raise KeyStoreError(
                "数据密钥无效（应为 32 字节）：本机密钥环中的密钥可能已损坏，请导入本数据库的密钥恢复文件。"
            )
        self._aead = AESGCM(_subkey(data_key, b"encryption v1"))
        self._index_key = _subkey(data_key, b"index v1")

    def encrypt(self, text: str, context: str) -> bytes:
        """Encrypt ``text`` for the column ``context``; every call uses a fresh random nonce."""
        nonce = os.urandom(_NONCE_SIZE)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), _HEADER + _context_bytes(context))
        return _HEADER + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        """The text stored by ``encrypt`` for the same column; KeyStoreError if the key or data is wrong."""
        aad = _HEADER + _context_bytes(context)
        if len(blob) < 1 + _NONCE_SIZE + _TAG_SIZE:
            raise _undecryptable(context)
        if blob[0] != FORMAT_V1:
            raise KeyStoreError(
                f"字段 {context} 的加密格式（版本 {blob[0]}）不受本程序支持：请升级 jlexam 后再打开该数据库。"
            )
        try:
            plain = self._aead.decrypt(blob[1:1 + _NONCE_SIZE], blob[1 + _NONCE_SIZE:], aad)
        except InvalidTag:
            raise _undecryptable(context) from None
        return plain.decode("utf-8")

    def index(self, text: str, context: str) -> str:
        """Hex HMAC-SHA256 of ``text`` within ``context``, for exact look-up without decrypting.

        Callers normalise first (e.g. upper-case the X of an ID number) so equal values index equally.
        """
        ctx = _context_bytes(context)
        # Length-prefix the context so ("a", "bc") and ("ab", "c") never collide.
        message = len(ctx).to_bytes(4, "big") + ctx + text.encode("utf-8")
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


def _undecryptable(context: str) -> KeyStoreError:
    return KeyStoreError(
        f"无法解密字段 {context}：本机密钥与该数据库不匹配，或数据已被改动。请确认使用的是本数据库的密钥"
        "（必要时导入本数据库的密钥恢复文件）；若密钥无误，请从备份恢复数据库。"
    )
