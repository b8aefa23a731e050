"""Ed25519 signing keys, checked against RFC 8032 and the openssl command line."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from jlexam.errors import KeyStoreError, ValidationError
from jlexam.security import signing

# RFC 8032, section 7.1, TEST 1 (empty message).
RFC_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


def test_known_answer_from_rfc_8032() -> None:
    key = signing.load_private_key_bytes(RFC_SECRET)
    assert signing.public_key_bytes(key.public_key()) == RFC_PUBLIC
    assert signing.sign(key, b"") == RFC_SIGNATURE


def test_key_id_is_first_16_hex_of_sha256_of_raw_public_key() -> None:
    pub = signing.load_private_key_bytes(RFC_SECRET).public_key()
    kid = signing.key_id(pub)
    assert re.fullmatch(r"[0-9a-f]{16}", kid)
    assert kid == hashlib.sha256(RFC_PUBLIC).hexdigest()[:16]
    assert kid == "21fe31dfa154a261"  # sha256(d75a98...511a), computed once by hand with sha256sum


def test_sign_and_verify_and_any_flipped_bit_fails() -> None:
    key = signing.generate_signing_key()
    data = "manifest 清单".encode()
    signature = signing.sign(key, data)
    assert len(signature) == 64
    assert signing.verify(key.public_key(), data, signature)
    flipped_sig = bytes([signature[0] ^ 0x01]) + signature[1:]
    flipped_data = data[:-1] + bytes([data[-1] ^ 0x80])
    assert not signing.verify(key.public_key(), data, flipped_sig)
    assert not signing.verify(key.public_key(), flipped_data, signature)
    assert not signing.verify(signing.generate_signing_key().public_key(), data, signature)


def test_private_key_round_trip_is_raw_32_bytes() -> None:
    key = signing.generate_signing_key()
    raw = signing.private_key_bytes(key)
    assert len(raw) == 32
    again = signing.load_private_key_bytes(raw)
    assert signing.key_id(again.public_key()) == signing.key_id(key.public_key())
    with pytest.raises(KeyStoreError):
        signing.load_private_key_bytes(raw[:31])


def test_public_key_pem_round_trip() -> None:
    pub = signing.generate_signing_key().public_key()
    pem = signing.public_key_pem(pub)
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert signing.key_id(signing.load_public_key_pem(pem)) == signing.key_id(pub)
    assert signing.key_id(signing.load_public_key_pem(pem.decode())) == signing.key_id(pub)


def test_non_ed25519_or_garbage_pem_is_refused() -> None:
    other = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for pem in (other, b"not a key", b""):
        with pytest.raises(ValidationError, match="Ed25519"):
            signing.load_public_key_pem(pem)


def test_openssl_verifies_our_signature(tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not on PATH: the independent verifier cannot run")
    key = signing.generate_signing_key()
    data = '{"certificates":3,"机构":"吉林"}'.encode()
    (tmp_path / "pub.pem").write_bytes(signing.public_key_pem(key.public_key()))
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "sig").write_bytes(signing.sign(key, data))

    def openssl_verify() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "data",
             "-sigfile", "sig"], cwd=tmp_path, capture_output=True, text=True, check=False)

    good = openssl_verify()
    assert good.returncode == 0, good.stdout + good.stderr
    (tmp_path / "data").write_bytes(data + b" ")
    assert openssl_verify().returncode != 0


def test_a_damaged_public_key_naming_an_unknown_algorithm_is_refused_plainly() -> None:
    """One flipped bit in the key's algorithm identifier makes cryptography raise UnsupportedAlgorithm; the
    user still gets the plain Chinese answer (found by hypothesis in tests/unit/test_batch.py)."""
    import pytest

    from jlexam.errors import ValidationError
    from jlexam.security.signing import generate_signing_key, load_public_key_pem, public_key_pem

    pem = bytearray(public_key_pem(generate_signing_key().public_key()))
    pem[35] ^= 1
    with pytest.raises(ValidationError, match="公钥文件无效"):
        load_public_key_pem(bytes(pem))
