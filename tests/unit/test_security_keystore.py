"""Keys in the keyring: a real encrypted file keyring (keyrings.cryptfile) in tmp_path, no mocks.

Every read and write of that keyring runs its Argon2 KDF (0.4 s or more), so one keyring file is opened per
module, one populated database namespace and its recovery file are made per module, and the other tests use a
fresh namespace instead of a fresh file wherever the rule allows.
"""

from __future__ import annotations

import base64
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backends import chainer, fail, null
from keyrings.cryptfile.cryptfile import CryptFileKeyring
from keyrings.cryptfile.file import PlaintextKeyring

from jlexam.errors import KeyStoreError, ValidationError
from jlexam.security import keystore, signing
from jlexam.security.fieldcrypto import FieldCipher
from jlexam.security.keystore import KeyStore, configure_keyring, configure_keyring_from_env, keyring_status
from jlexam.security.tokens import TICKET, decode_token, encode_token

PASSPHRASE = "钥匙-file-passphrase-1"
RECOVERY = "恢复口令 recovery 2025"


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def shared_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CryptFileKeyring]:
    previous = keyring.get_keyring()
    path = tmp_path_factory.mktemp("keyring") / "shared.cfg"
    configure_keyring(f"file:{path}", PASSPHRASE)
    backend = keyring.get_keyring()
    keyring.set_keyring(previous)
    assert isinstance(backend, CryptFileKeyring)
    return path, backend


@pytest.fixture
def file_keyring(shared_file: tuple[Path, CryptFileKeyring]) -> Path:
    keyring.set_keyring(shared_file[1])
    return shared_file[0]


def _fresh() -> KeyStore:
    return KeyStore(str(uuid.uuid4()))


def _secrets(store: KeyStore) -> tuple[bytes, bytes]:
    return store.data_key(), signing.private_key_bytes(store.signing_key())


# ------------------------------------------------------------------------------------------ configuration


def test_file_keyring_is_usable_and_says_where(file_keyring: Path) -> None:
    status = keyring_status()
    assert status.usable
    assert status.backend == "keyrings.cryptfile.cryptfile.CryptFileKeyring"
    assert str(file_keyring) in status.message


def test_file_keyring_needs_its_passphrase(tmp_path: Path, file_keyring: Path) -> None:
    with pytest.raises(KeyStoreError, match="JLEXAM_KEYRING_PASSPHRASE"):
        configure_keyring(f"file:{tmp_path / 'new.cfg'}", None)
    with pytest.raises(KeyStoreError, match="口令不正确"):
        configure_keyring(f"file:{file_keyring}", "not the passphrase")
    with pytest.raises(KeyStoreError, match="file:<路径>"):
        configure_keyring("plaintext:/tmp/x")
    assert keyring.get_keyring() is not None and keyring_status().usable  # a failed attempt changes nothing


def test_configure_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "env.cfg"
    monkeypatch.setenv("JLEXAM_KEYRING", f"file:{path}")
    monkeypatch.delenv("JLEXAM_KEYRING_PASSPHRASE", raising=False)
    with pytest.raises(KeyStoreError, match="JLEXAM_KEYRING_PASSPHRASE"):
        configure_keyring_from_env()
    monkeypatch.setenv("JLEXAM_KEYRING_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(keystore, "_configured", False)  # as in a fresh process: first use configures
    assert keyring_status().usable
    assert isinstance(keyring.get_keyring(), CryptFileKeyring)
    assert path.is_file()


def test_default_never_picks_a_file_or_plaintext_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no keyringrc.cfg
    configure_keyring(None)
    backend = keyring.get_keyring()
    assert type(backend).__module__.startswith("keyring.backends.")
    assert not isinstance(backend, chainer.ChainerBackend)
    status = keyring_status()
    assert status.usable == (not isinstance(backend, fail.Keyring))


def test_keyring_default_detection_would_prompt_so_it_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # keyring's own choice chains keyrings.cryptfile's backends, which ask for a password on the terminal.
    prompting = CryptFileKeyring()
    prompting.file_path = "/nonexistent/never-opened.cfg"
    keyring.set_keyring(prompting)
    status = keyring_status()
    assert not status.usable
    assert "不会在命令行询问口令" in status.message


# ------------------------------------------------------------------------------------------ unusable


FIX_WORDS = ("JLEXAM_KEYRING=file:<路径>", "JLEXAM_KEYRING_PASSPHRASE", "凭据管理器", "GNOME Keyring", "KWallet")


def test_fail_backend_is_unusable_and_names_the_fix() -> None:
    keyring.set_keyring(fail.Keyring())
    status = keyring_status()
    assert status.backend == "keyring.backends.fail.Keyring"
    assert status.usable is False
    assert "没有可用的密钥环" in status.message
    for word in FIX_WORDS:
        assert word in status.message
    with pytest.raises(KeyStoreError) as caught:
        _fresh().has_keys()
    assert caught.value.message == status.message


def test_null_plaintext_and_empty_chain_are_unusable(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(null.Keyring())
    assert not keyring_status().usable
    keyring.set_keyring(PlaintextKeyring())
    status = keyring_status()
    assert not status.usable and "明文" in status.message
    monkeypatch.setattr(keyring.backend, "_limit", lambda backend: False)  # a chain of nothing
    keyring.set_keyring(chainer.ChainerBackend())
    status = keyring_status()
    assert not status.usable and "JLEXAM_KEYRING_PASSPHRASE" in status.message
    with pytest.raises(KeyStoreError):
        _fresh().ensure_keys()


# ------------------------------------------------------------------------------------------ keys


@dataclass(frozen=True)
class Populated:
    store: KeyStore
    old_key: Ed25519PrivateKey  # the signing key before one rotation
    old_ticket: str
    recovery: Path


@pytest.fixture(scope="module")
def populated(shared_file: tuple[Path, CryptFileKeyring], tmp_path_factory: pytest.TempPathFactory) -> Populated:
    previous = keyring.get_keyring()
    keyring.set_keyring(shared_file[1])
    store = _fresh()
    store.ensure_keys()
    old_key = store.signing_key()
    old_ticket = encode_token(old_key, TICKET, {"no": "A1", "name": "张三"})
    store.rotate_signing_key()
    recovery = tmp_path_factory.mktemp("recovery") / "recovery.json"
    store.export_recovery(recovery, RECOVERY)
    keyring.set_keyring(previous)
    return Populated(store, old_key, old_ticket, recovery)


def test_keys_are_created_once_and_stable(file_keyring: Path) -> None:
    store = _fresh()
    assert not store.has_keys()
    with pytest.raises(KeyStoreError, match="恢复文件"):
        store.data_key()
    store.ensure_keys()
    first = _secrets(store)
    assert len(first[0]) == 32 and len(first[1]) == 32
    store.ensure_keys()
    assert _secrets(store) == first
    again = KeyStore(store.namespace)  # a new instance reads the keyring file afresh
    assert again.has_keys() and _secrets(again) == first
    assert list(again.public_keys()) == [signing.key_id(store.signing_key().public_key())]


def test_namespaces_are_independent(file_keyring: Path, populated: Populated) -> None:
    other = _fresh()
    assert not other.has_keys()
    other.ensure_keys()
    assert other.data_key() != populated.store.data_key()
    assert set(other.public_keys()).isdisjoint(populated.store.public_keys())
    assert _secrets(KeyStore(populated.store.namespace)) == _secrets(populated.store)


def test_rotation_keeps_old_public_keys_for_old_tickets(file_keyring: Path, populated: Populated) -> None:
    reread = KeyStore(populated.store.namespace)
    keys = reread.public_keys()
    old_kid = signing.key_id(populated.old_key.public_key())
    assert list(keys) == [signing.key_id(reread.signing_key().public_key()), old_kid]
    assert decode_token(populated.old_ticket, keys, TICKET)["no"] == "A1"
    assert _secrets(reread) == _secrets(populated.store)  # the data key did not rotate with the signing key


def test_keyring_file_does_not_hold_raw_keys(file_keyring: Path, populated: Populated) -> None:
    content = file_keyring.read_bytes()
    assert b"[jlexam]" in content  # the entries are there, encrypted
    secrets = (*_secrets(populated.store), signing.private_key_bytes(populated.old_key))
    for secret in secrets:
        for form in (secret, base64.b64encode(secret), secret.hex().encode(), base64.urlsafe_b64encode(secret)):
            assert form not in content


def test_data_key_works_with_field_cipher(populated: Populated) -> None:
    cipher = FieldCipher(populated.store.data_key())
    blob = cipher.encrypt("220102199001011234", "candidate.id_number")
    assert cipher.decrypt(blob, "candidate.id_number") == "220102199001011234"


# ------------------------------------------------------------------------------------------ recovery


@pytest.fixture
def exported(populated: Populated, tmp_path: Path) -> tuple[KeyStore, Path]:
    """The populated store and a private copy of its recovery file, free to damage."""
    path = tmp_path / "recovery.json"
    shutil.copy(populated.recovery, path)
    return populated.store, path


def test_recovery_file_format(populated: Populated) -> None:
    store, path = populated.store, populated.recovery
    document = json.loads(path.read_text("utf-8"))
    assert document["format"] == "jlexam-key-recovery" and document["version"] == 1
    assert document["namespace"] == store.namespace
    kdf = document["kdf"]
    assert (kdf["name"], kdf["n"], kdf["r"], kdf["p"]) == ("scrypt", 2**15, 8, 1)
    assert len(base64.b64decode(kdf["salt"])) == 16
    assert document["cipher"]["name"] == "AES-256-GCM"
    raw = path.read_bytes()
    for secret in _secrets(store):
        assert secret not in raw and base64.b64encode(secret) not in raw and secret.hex().encode() not in raw
    assert [p.name for p in path.parent.iterdir()] == ["recovery.json"]  # no temporary file left behind


def test_export_then_import_into_a_fresh_keyring_restores_identical_keys(
        exported: tuple[KeyStore, Path], tmp_path: Path) -> None:
    store, path = exported
    configure_keyring(f"file:{tmp_path / 'reinstalled.cfg'}", "another passphrase")
    restored = KeyStore(store.namespace)
    assert not restored.has_keys()
    restored.import_recovery(path, RECOVERY)
    reread = KeyStore(store.namespace)
    assert _secrets(reread) == _secrets(store)
    assert list(reread.public_keys()) == list(store.public_keys())  # retired keys too, in order
    reread.import_recovery(path, RECOVERY)  # importing the same keys again is harmless
    assert _secrets(reread) == _secrets(store)


def test_import_refuses_to_replace_different_keys_unless_told(
        exported: tuple[KeyStore, Path], tmp_path: Path) -> None:
    store, path = exported
    keyring_file = tmp_path / "other.cfg"
    configure_keyring(f"file:{keyring_file}", "another passphrase")
    other = KeyStore(store.namespace)
    other.ensure_keys()
    mine = _secrets(other)
    before = keyring_file.read_bytes()
    with pytest.raises(KeyStoreError, match=r"另一套密钥.*覆盖"):
        other.import_recovery(path, RECOVERY)
    assert keyring_file.read_bytes() == before and _secrets(other) == mine  # nothing changed
    other.import_recovery(path, RECOVERY, overwrite=True)
    reread = KeyStore(store.namespace)
    assert _secrets(reread) == _secrets(store)
    replaced_kid = signing.key_id(signing.load_private_key_bytes(mine[1]).public_key())
    assert replaced_kid in reread.public_keys()  # tickets signed with the replaced key still verify


def test_wrong_passphrase_is_named(exported: tuple[KeyStore, Path]) -> None:
    store, path = exported
    for wrong in (RECOVERY + "x", RECOVERY.upper(), ""):
        with pytest.raises(KeyStoreError, match="口令不正确"):
            store.import_recovery(path, wrong)


def _edit(path: Path, **changes: object) -> None:
    document = json.loads(path.read_text("utf-8"))
    document.update(changes)
    path.write_text(json.dumps(document), "utf-8")


def test_corrupt_files_are_named(exported: tuple[KeyStore, Path]) -> None:
    store, path = exported
    document = json.loads(path.read_text("utf-8"))
    sealed = bytearray(base64.b64decode(document["ciphertext"]))
    sealed[5] ^= 0x01
    _edit(path, ciphertext=base64.b64encode(bytes(sealed)).decode())
    with pytest.raises(KeyStoreError, match="已损坏"):
        store.import_recovery(path, RECOVERY)
    for broken in (b"", b"{not json", b"[]", json.dumps({"format": "jlexam-key-recovery", "version": 1,
                                                         "namespace": store.namespace}).encode()):
        path.write_bytes(broken)
        with pytest.raises(KeyStoreError, match="已损坏"):
            store.import_recovery(path, RECOVERY)
    with pytest.raises(KeyStoreError, match="无法读取"):
        store.import_recovery(path.with_name("missing.json"), RECOVERY)


def test_hostile_kdf_parameters_are_refused(exported: tuple[KeyStore, Path]) -> None:
    store, path = exported
    document = json.loads(path.read_text("utf-8"))
    _edit(path, kdf={**document["kdf"], "n": 2**30})
    with pytest.raises(KeyStoreError, match="已损坏"):
        store.import_recovery(path, RECOVERY)


def test_recovery_of_another_database_is_refused(exported: tuple[KeyStore, Path]) -> None:
    _, path = exported
    with pytest.raises(KeyStoreError, match="另一个数据库"):
        _fresh().import_recovery(path, RECOVERY)
    _edit(path, namespace="forged")  # the namespace is authenticated, not merely compared
    with pytest.raises(KeyStoreError, match="已损坏"):
        KeyStore("forged").import_recovery(path, RECOVERY)


def test_export_needs_a_long_passphrase_and_a_writable_folder(exported: tuple[KeyStore, Path],
                                                              tmp_path: Path) -> None:
    store, _ = exported
    with pytest.raises(ValidationError, match="至少需要 8 个字符"):
        store.export_recovery(tmp_path / "weak.json", "short")
    with pytest.raises(KeyStoreError, match="无法写入恢复文件"):
        store.export_recovery(tmp_path / "no-such-folder" / "r.json", RECOVERY)
