"""The QR token contract: compact JWS, EdDSA/Ed25519, checked with an independent JOSE library."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import OKPKey

from jlexam.errors import ValidationError
from jlexam.security import signing
from jlexam.security.tokens import CERT, TICKET, TokenError, decode_token, encode_token

KEY = signing.load_private_key_bytes(bytes(range(32)))
KID = signing.key_id(KEY.public_key())
KEYS = {KID: KEY.public_key()}
PAYLOAD = {"no": "2207010001", "name": "张三", "id": "220102********123X", "occ": "4-07-05-04", "level": 3,
           "sitting": "2025-06-14"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _signed(header: bytes, payload: bytes, key=KEY) -> str:
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    return f"{signing_input}.{_b64(key.sign(signing_input.encode()))}"


def test_round_trip_adds_version() -> None:
    token = encode_token(KEY, TICKET, PAYLOAD)
    assert decode_token(token, KEYS, TICKET) == {"v": 1, **PAYLOAD}


def test_header_and_payload_are_exactly_the_contract() -> None:
    header, payload, signature = encode_token(KEY, CERT, PAYLOAD).split(".")
    assert _unb64(header) == f'{{"alg":"EdDSA","kid":"{KID}","typ":"jlexam-cert"}}'.encode()
    assert _unb64(payload) == json.dumps({"v": 1, **PAYLOAD}, ensure_ascii=False, separators=(",", ":")).encode()
    assert "张三".encode() in _unb64(payload)  # UTF-8, not \\u escapes
    assert len(_unb64(signature)) == 64
    assert "=" not in header + payload + signature


def test_existing_version_is_kept_and_other_versions_refused() -> None:
    token = encode_token(KEY, TICKET, {"v": 1, "no": "1"})
    assert decode_token(token, KEYS, TICKET) == {"v": 1, "no": "1"}
    for bad in (2, "1", True):
        with pytest.raises(ValueError):
            encode_token(KEY, TICKET, {"v": bad})
    with pytest.raises(ValueError):
        encode_token(KEY, "jlexam-other", PAYLOAD)


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")  # the contract predates RFC 9864
def test_independent_jose_library_verifies() -> None:
    token = encode_token(KEY, TICKET, PAYLOAD)
    raw = signing.public_key_bytes(KEY.public_key())
    jwk = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": _b64(raw)})
    result = jws.deserialize_compact(token, jwk, algorithms=["EdDSA"])
    assert result.protected == {"alg": "EdDSA", "kid": KID, "typ": TICKET}
    assert json.loads(result.payload) == {"v": 1, **PAYLOAD}
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(Exception, match="signature"):
        jws.deserialize_compact(tampered, jwk, algorithms=["EdDSA"])


def _reason(token: str, keys=KEYS, typ: str = TICKET) -> TokenError:
    with pytest.raises(TokenError) as caught:
        decode_token(token, keys, typ)
    return caught.value


def test_each_refusal_has_its_own_reason_and_message() -> None:
    good = encode_token(KEY, TICKET, PAYLOAD)
    header, _, signature = good.split(".")
    other_payload = _b64(json.dumps({"v": 1, **PAYLOAD, "name": "李四"}, ensure_ascii=False).encode())
    other_key = signing.generate_signing_key()
    errors = {
        "malformed": _reason("not-a-token"),
        "unknown_key": _reason(encode_token(other_key, TICKET, PAYLOAD)),
        "bad_signature": _reason(f"{header}.{other_payload}.{signature}"),
        "wrong_type": _reason(good, typ=CERT),
        "unsupported_version": _reason(_signed(
            json.dumps({"alg": "EdDSA", "kid": KID, "typ": TICKET}).encode(), b'{"v":2,"no":"1"}')),
    }
    assert {reason: error.reason for reason, error in errors.items()} == {r: r for r in errors}
    messages = [error.message for error in errors.values()]
    assert len(set(messages)) == len(messages)
    assert all("二维码" in message for message in messages)


def test_key_registered_under_the_kid_but_different_is_a_bad_signature() -> None:
    token = encode_token(KEY, TICKET, PAYLOAD)
    assert _reason(token, keys={KID: signing.generate_signing_key().public_key()}).reason == "bad_signature"


def test_flipped_signature_bit_is_a_bad_signature() -> None:
    header, payload, signature = encode_token(KEY, TICKET, PAYLOAD).split(".")
    raw = bytearray(_unb64(signature))
    raw[10] ^= 0x04
    assert _reason(f"{header}.{payload}.{_b64(bytes(raw))}").reason == "bad_signature"


@pytest.mark.parametrize(
    "token",
    ["", "a.b", "a.b.c.d", "a.b.c", "###.###.###", "x" * 5000,
     _signed(b'{"alg":"none","kid":"%s","typ":"jlexam-ticket"}' % KID.encode(), b'{"v":1}'),
     _signed(b'{"alg":"EdDSA","kid":"%s","typ":"jlexam-ticket","crit":["x"]}' % KID.encode(), b'{"v":1}'),
     _signed(b'{"alg":"EdDSA","alg":"EdDSA","kid":"%s","typ":"jlexam-ticket"}' % KID.encode(), b'{"v":1}'),
     _signed(b'["EdDSA"]', b'{"v":1}'),
     _signed(b'{"alg":"EdDSA","kid":"%s","typ":"jlexam-ticket"}' % KID.encode(), b'[1]'),
     _signed(b'{"alg":"EdDSA","kid":"%s","typ":"jlexam-ticket"}' % KID.encode(), b"\xff")],
)
def test_malformed_tokens(token: str) -> None:
    assert _reason(token).reason == "malformed"


def test_scanner_whitespace_is_tolerated() -> None:
    assert decode_token(encode_token(KEY, TICKET, PAYLOAD) + "\r\n", KEYS, TICKET)["name"] == "张三"


@pytest.mark.parametrize(
    "payload",
    [{"id": "220102199001011234"}, {"id": "22010219900101123X"}, {"id": "22010219900101123x"},
     {"note": "身份证220102199001011234号"}, {"people": [{"id": "220102199001011234"}]},
     {"id": 220102199001011234}, {"220102199001011234": "key"}, {"id": "110105200012310017"}],
)
def test_full_id_number_is_refused(payload: dict) -> None:
    with pytest.raises(ValidationError, match="完整的身份证号码"):
        encode_token(KEY, TICKET, payload)


@pytest.mark.parametrize(
    "payload",
    [{"id": "220102********123X"}, {"cert": "Y220102199001011234000"}, {"no": "20250614000123"},
     {"phone": "13800138000"}, {"no": "2201021990010112345"}],
)
def test_masked_ids_and_other_numbers_pass(payload: dict) -> None:
    assert decode_token(encode_token(KEY, CERT, payload), KEYS, CERT) == {"v": 1, **payload}


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Nd")), max_size=12)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(_TEXT.filter(lambda key: key != "v"), _VALUES, max_size=6), st.sampled_from([TICKET, CERT]))
def test_round_trip_of_any_payload(payload: dict, typ: str) -> None:
    assert decode_token(encode_token(KEY, typ, payload), KEYS, typ) == {"v": 1, **payload}


@given(st.text(alphabet="张三李四王五吉林长春考务", min_size=1, max_size=20))
def test_round_trip_of_chinese_names(name: str) -> None:
    token = encode_token(KEY, TICKET, {"name": name, "id": "220102********123X"})
    assert decode_token(token, KEYS, TICKET)["name"] == name
