"""Ed25519 signing keys: QR tokens, upload batches (``manifest.sig``) and exported public keys."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jlexam.errors import KeyStoreError, ValidationError

_RAW = serialization.Encoding.Raw


def generate_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte seed, as kept in the keyring."""
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def load_private_key_bytes(raw: bytes) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise KeyStoreError(
            "签名私钥已损坏（应为 32 字节的 Ed25519 私钥）：请导入本数据库的密钥恢复文件。"
        ) from None


def public_key_bytes(pub: Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key (what the key id is computed from)."""
    return pub.public_bytes(_RAW, serialization.PublicFormat.Raw)


def public_key_pem(pub: Ed25519PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM, readable by ``openssl pkeyutl -pubin``."""
    return pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key_pem(pem: bytes | str) -> Ed25519PublicKey:
    data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    try:
        pub = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):  # a damaged key may name an unknown algorithm
        pub = None
    if not isinstance(pub, Ed25519PublicKey):
        raise ValidationError(
            "公钥文件无效：需要 PEM 格式（-----BEGIN PUBLIC KEY-----）的 Ed25519 公钥，"
            "请使用 jlexam keys export-public 导出的公钥文件。"
        )
    return pub


def key_id(pub: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 of the raw public key (the ``kid`` of the QR token contract)."""
    return hashlib.sha256(public_key_bytes(pub)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The raw 64-byte Ed25519 signature of ``data``."""
    return key.sign(data)


def verify(pub: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        pub.verify(signature, data)
    except InvalidSignature:
        return False
    return True
