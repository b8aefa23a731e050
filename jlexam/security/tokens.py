"""The QR token of admission tickets and certificates: compact JWS (RFC 7515), EdDSA/Ed25519 (RFC 8037).

Header ``{"alg":"EdDSA","kid":K,"typ":T}``, K = signing.key_id of the public key; the payload is compact
UTF-8 JSON with ``"v":1`` and never a full ID number (see DESIGN.md, "Contracts").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jlexam.errors import JlexamError, ValidationError
from jlexam.security.signing import key_id

TICKET = "jlexam-ticket"
CERT = "jlexam-cert"
PACKET = "jlexam-packet"  # paper packet labels (issue 6); same format, internal use
TYPES = (TICKET, CERT, PACKET)
VERSION = 1
ALG = "EdDSA"
MAX_TOKEN_LENGTH = 4096  # far above what a printed QR code holds; bounds the work on hostile input

# An unmasked mainland resident ID: region, birth date (18xx-20xx), sequence, check character. Matched
# anywhere in the payload JSON unless glued to other letters or digits (a 22-character certificate number
# must not trip it). The checksum is deliberately not required: a mistyped full ID still identifies a person.
_FULL_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
    r"(?![0-9A-Za-z])"
)
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class TokenError(JlexamError):
    """A scanned token cannot be trusted; ``reason`` is one of the REASONS codes."""

    REASONS = ("malformed", "unknown_key", "bad_signature", "wrong_type", "unsupported_version")

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


_TYPE_NAMES = {TICKET: "准考证", CERT: "证书"}


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _unb64(part: str) -> bytes:
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _compact_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


@lru_cache(maxsize=64)
def _header_segment(kid: str, typ: str) -> bytes:
    return _b64(_compact_json({"alg": ALG, "kid": kid, "typ": typ}))


def encode_token(key: Ed25519PrivateKey, typ: str, payload: dict) -> str:
    """Sign ``payload`` as a compact JWS of type ``typ``; refuses payloads holding a full ID number."""
    if typ not in TYPES:
        raise ValueError(f"token type must be one of {TYPES}, not {typ!r}")
    if "v" in payload and (type(payload["v"]) is not int or payload["v"] != VERSION):
        raise ValueError(f"payload version must be {VERSION}")
    body = _compact_json(payload if "v" in payload else {"v": VERSION, **payload})
    if _FULL_ID.search(body.decode("utf-8")):
        # Tickets and certificates are shown to anyone; a full ID number would leak with every scan.
        raise ValidationError(
            f"{_TYPE_NAMES[typ]}二维码的内容含有完整的身份证号码，不能签发：请只放入遮盖后的号码"
            "（前 6 位和后 4 位，如 220102********123X）。"
        )
    signing_input = _header_segment(key_id(key.public_key()), typ) + b"." + _b64(body)
    return (signing_input + b"." + _b64(key.sign(signing_input))).decode("ascii")


def decode_token(token: str, keys: Mapping[str, Ed25519PublicKey], expected_typ: str) -> dict:
    """The verified payload of ``token``; TokenError says why a token is refused."""
    header_part, payload_part, signing_input, signature = _split(token)
    header = _parse_object(header_part)
    if header.get("alg") != ALG or "crit" in header or not isinstance(header.get("kid"), str):
        raise _malformed()
    pub = keys.get(header["kid"])
    if pub is None:
        raise TokenError("unknown_key",
                         f"二维码由未知的签名密钥（编号 {header['kid'][:16]}）签发：它不是本机构签发的，"
                         "或签名公钥尚未导入本机；请核对凭证来源，或导入该机构的签名公钥后重试。")
    try:
        pub.verify(signature, signing_input)
    except InvalidSignature:
        raise TokenError("bad_signature", "二维码签名验证失败：内容已被改动或伪造，该凭证不可信，"
                                          "请核对持证人身份并联系签发机构。") from None
    if header.get("typ") != expected_typ:
        raise _wrong_type(expected_typ, header.get("typ"))
    payload = _parse_object(payload_part)
    version = payload.get("v")
    if type(version) is not int or version != VERSION:
        raise TokenError("unsupported_version",
                         f"二维码内容版本（{version}）不受本程序支持：请升级 jlexam 后再扫描。")
    return payload


def _split(token: str) -> tuple[str, str, bytes, bytes]:
    token = token.strip() if isinstance(token, str) else ""
    parts = token.split(".")
    if len(token) > MAX_TOKEN_LENGTH or len(parts) != 3 or not token.isascii():
        raise _malformed()
    try:
        signature = _unb64(parts[2])
    except (ValueError, binascii.Error):
        raise _malformed() from None
    return parts[0], parts[1], f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member")  # two readers could otherwise see different values
    return result


def _parse_object(part: str) -> dict:
    try:
        value = json.loads(_unb64(part).decode("utf-8"), object_pairs_hook=_reject_duplicates)
    except (ValueError, binascii.Error, RecursionError):
        raise _malformed() from None
    if not isinstance(value, dict):
        raise _malformed()
    return value


def _wrong_type(expected: str, found: object) -> TokenError:
    wanted = _TYPE_NAMES.get(expected, expected)
    scanned = _TYPE_NAMES.get(found, "其他凭证") if isinstance(found, str) else "其他凭证"
    return TokenError("wrong_type", f"二维码类型不符：这里需要{wanted}的二维码，扫描到的是{scanned}的二维码，"
                                    "请扫描正确的凭证。")


def _malformed() -> TokenError:
    return TokenError("malformed", "二维码内容不是有效的 jlexam 签名令牌（格式错误）：请重新扫描；"
                                   "若仍失败，该凭证可能已损坏或不是本系统签发的。")
