"""Per-database keys (the field data key and the Ed25519 signing key) kept in the OS keyring.

Each database has a namespace (a UUID stored in the database). Its keys live in one keyring entry, service
``jlexam``, user name = namespace, value = compact JSON, so an encrypted file keyring pays its slow KDF once
per read. Retired signing public keys stay in the entry so tickets signed before a rotation still verify.

Call ``configure_keyring_from_env()`` (or ``configure_keyring``) at start-up; if nobody has, the first
keyring_status() or KeyStore access does it. keyring's own default detection is never used as it is: it would
also chain keyrings.cryptfile's file backends, which prompt on the terminal or store plaintext.
"""

from __future__ import annotations

import base64
import binascii
import configparser
import contextlib
import hmac
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
import keyring.core
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError
from keyrings.cryptfile.cryptfile import CryptFileKeyring

from jlexam.errors import KeyStoreError, ValidationError
from jlexam.security import signing
from jlexam.security.fieldcrypto import KEY_SIZE, generate_data_key

SERVICE = "jlexam"
ENV_KEYRING = "JLEXAM_KEYRING"
ENV_PASSPHRASE = "JLEXAM_KEYRING_PASSPHRASE"
FILE_PREFIX = "file:"

RECOVERY_FORMAT = "jlexam-key-recovery"
RECOVERY_VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_RECOVERY_PASSPHRASE = 8
_ENTRY_VERSION = 1
# Windows Credential Manager holds at most 2560 bytes, stored as UTF-16; stay below with room to spare.
_MAX_ENTRY_CHARS = 1200

_FIX = ("请安装并解锁系统密钥环（Windows 的凭据管理器；Linux 的 GNOME Keyring 或 KWallet），"
        f"或者设置环境变量 {ENV_KEYRING}=file:<路径> 和 {ENV_PASSPHRASE}=<口令>，"
        "改用由口令保护的加密密钥文件。")


# ---------------------------------------------------------------------------------------------- backend

_configured = False  # set by configure_keyring; until then the first use configures from the environment


@dataclass(frozen=True)
class KeyringStatus:
    backend: str  # the backend's class, e.g. "keyring.backends.Windows.WinVaultKeyring"
    usable: bool
    message: str  # Chinese; when not usable it names the fix


def configure_keyring(spec: str | None, passphrase: str | None = None) -> None:
    """Choose the keyring: None/"" = the OS keyring; "file:PATH" = encrypted file + passphrase."""
    global _configured
    if not spec:
        # Only keyring's own OS backends; a user's explicit PYTHON_KEYRING_BACKEND or keyringrc still wins,
        # and keyring_status() refuses it if it is plaintext or would prompt.
        try:
            keyring.core.init_backend(_is_system_backend)
        except (RuntimeError, ImportError, AttributeError, ValueError) as exc:
            raise KeyStoreError("环境变量 PYTHON_KEYRING_BACKEND 或 keyringrc.cfg 指定的密钥环后端"
                                f"无法使用（{exc}）：请删除该设置后重试。" + _FIX) from None
        _configured = True
        return
    if not spec.startswith(FILE_PREFIX) or not spec[len(FILE_PREFIX):].strip():
        raise KeyStoreError(f"{ENV_KEYRING} 的值“{spec}”无法识别：留空表示使用系统密钥环，"
                            "或写成 file:<路径> 使用由口令保护的加密密钥文件。")
    path = Path(spec[len(FILE_PREFIX):].strip()).expanduser().absolute()
    keyring.set_keyring(_open_file_keyring(path, passphrase))
    _configured = True


def configure_keyring_from_env() -> None:
    """configure_keyring from JLEXAM_KEYRING and JLEXAM_KEYRING_PASSPHRASE."""
    configure_keyring(os.environ.get(ENV_KEYRING), os.environ.get(ENV_PASSPHRASE))


def _is_system_backend(backend: KeyringBackend) -> bool:
    return (type(backend).__module__.startswith("keyring.backends.")
            and not isinstance(backend, chainer.ChainerBackend | fail.Keyring | null.Keyring))


def _open_file_keyring(path: Path, passphrase: str | None) -> CryptFileKeyring:
    if not passphrase or not passphrase.strip():
        raise KeyStoreError(f"使用加密密钥文件 {path} 需要口令：请设置环境变量 {ENV_PASSPHRASE}"
                            "（创建该文件时使用的口令；新文件则为要设定的口令）。")
    backend = CryptFileKeyring()
    backend.file_path = str(path)
    try:
        backend.keyring_key = passphrase  # unlocks (checks the passphrase) or creates the file
    except ValueError:
        raise KeyStoreError(f"无法打开加密密钥文件 {path}：口令不正确，或文件已损坏。"
                            f"请在 {ENV_PASSPHRASE} 中填写创建该文件时的口令；"
                            "若文件已损坏，请改用新的路径并导入密钥恢复文件。") from None
    except (OSError, configparser.Error) as exc:
        raise KeyStoreError(f"无法读写加密密钥文件 {path}（{exc}）：请确认路径所在文件夹存在且可写，"
                            "或换一个路径。") from None
    return backend


def keyring_status() -> KeyringStatus:
    """Whether the current keyring backend can hold jlexam's keys, with a Chinese explanation."""
    if not _configured:
        try:
            configure_keyring_from_env()
        except KeyStoreError as exc:
            return KeyringStatus(f"{ENV_KEYRING}={os.environ.get(ENV_KEYRING, '')}", False, exc.message)
    backend = keyring.get_keyring()
    name = _class_name(backend)
    problem = _problem(backend)
    if problem:
        return KeyringStatus(name, False, problem + _FIX)
    if isinstance(backend, CryptFileKeyring):
        return KeyringStatus(name, True, f"密钥保存在由口令保护的加密密钥文件 {backend.file_path} 中。")
    return KeyringStatus(name, True, f"密钥保存在系统密钥环（{name}）中。")


def _class_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _problem(backend: KeyringBackend) -> str | None:
    name = _class_name(backend)
    if isinstance(backend, fail.Keyring | null.Keyring) or not type(backend).viable:
        return f"本机没有可用的密钥环（当前后端：{name}），无法保存数据库的密钥。"
    if isinstance(backend, chainer.ChainerBackend):
        members = backend.backends
        if not members:
            return f"本机没有可用的密钥环（当前后端：{name}，其中没有任何密钥环），无法保存数据库的密钥。"
        return next(filter(None, map(_problem, members)), None)
    if isinstance(backend, CryptFileKeyring):
        if getattr(backend, "_keyring_key", None) is None:
            return f"加密密钥文件 {backend.file_path} 尚未提供口令，jlexam 不会在命令行询问口令。"
        return None
    if "Plaintext" in type(backend).__name__ or type(backend).priority < 1:
        return f"密钥环后端 {name} 会以明文保存密钥或在命令行询问口令，jlexam 不使用它。"
    return None


def _usable_backend() -> KeyringBackend:
    status = keyring_status()
    if not status.usable:
        raise KeyStoreError(status.message)
    return keyring.get_keyring()


# ---------------------------------------------------------------------------------------------- entry


@dataclass(frozen=True)
class _Keys:
    data_key: bytes
    signing_key: Ed25519PrivateKey
    retired: tuple[Ed25519PublicKey, ...] = ()

    def dump(self) -> str:
        return json.dumps({
            "v": _ENTRY_VERSION,
            "data": _b64(self.data_key),
            "sign": _b64(signing.private_key_bytes(self.signing_key)),
            "retired": [_b64(signing.public_key_bytes(pub)) for pub in self.retired],
        }, separators=(",", ":"))

    @classmethod
    def load(cls, text: str | bytes) -> _Keys:
        """Raises ValueError, KeyError or TypeError when the text is not a valid entry."""
        doc = json.loads(text)
        if doc["v"] != _ENTRY_VERSION:
            raise ValueError("unknown entry version")
        data_key = _unb64(doc["data"])
        if len(data_key) != KEY_SIZE:
            raise ValueError("data key size")
        sign = Ed25519PrivateKey.from_private_bytes(_unb64(doc["sign"]))
        retired = tuple(Ed25519PublicKey.from_public_bytes(_unb64(r)) for r in doc["retired"])
        return cls(data_key, sign, retired)

    def same_secrets(self, other: _Keys) -> bool:
        mine, theirs = (signing.private_key_bytes(k.signing_key) for k in (self, other))
        return hmac.compare_digest(self.data_key, other.data_key) and hmac.compare_digest(mine, theirs)

    def with_retired(self, *pubs: Ed25519PublicKey) -> _Keys:
        """These keys plus ``pubs`` as retired public keys, without duplicates or the current key."""
        seen = {signing.key_id(self.signing_key.public_key())}
        kept = []
        for pub in (*self.retired, *pubs):
            kid = signing.key_id(pub)
            if kid not in seen:
                seen.add(kid)
                kept.append(pub)
        return _Keys(self.data_key, self.signing_key, tuple(kept))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# ---------------------------------------------------------------------------------------------- store


class KeyStore:
    """The keys of the database identified by ``namespace``, cached in memory after the first read."""

    def __init__(self, namespace: str) -> None:
        if not namespace or not namespace.strip():
            raise ValueError("namespace must identify the database (its UUID)")
        self.namespace = namespace
        self._cached: _Keys | None = None

    def has_keys(self) -> bool:
        return self._read() is not None

    def ensure_keys(self) -> None:
        """Create the data key and the signing key if this database has none yet."""
        if self._read() is not None:
            return
        # No read-back: every accepted backend raises when a write fails, and on the file keyring a read
        # costs another Argon2 run.
        self._write(_Keys(generate_data_key(), signing.generate_signing_key()))

    def data_key(self) -> bytes:
        return self._require().data_key

    def signing_key(self) -> Ed25519PrivateKey:
        return self._require().signing_key

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """kid -> public key: the current signing key first, then every retired one."""
        keys = self._require()
        pubs = (keys.signing_key.public_key(), *keys.retired)
        return {signing.key_id(pub): pub for pub in pubs}

    def rotate_signing_key(self) -> str:
        """Replace the signing key, keeping the old public key for verification; returns the new kid."""
        keys = self._require()
        new = _Keys(keys.data_key, signing.generate_signing_key())
        self._write(new.with_retired(keys.signing_key.public_key(), *keys.retired))
        return signing.key_id(new.signing_key.public_key())

    def export_recovery(self, path: Path, passphrase: str) -> None:
        """Write every key of this database, encrypted under ``passphrase``, to the JSON file ``path``."""
        if len(passphrase or "") < MIN_RECOVERY_PASSPHRASE:
            raise ValidationError(f"恢复文件口令至少需要 {MIN_RECOVERY_PASSPHRASE} 个字符：请设定更长的口令，"
                                  "并把它与恢复文件分开妥善保管。")
        document = _seal(self._require(), self.namespace, passphrase)
        _write_atomic(Path(path), json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")

    def import_recovery(
        self,
        path: Path,
        passphrase: str,
        *,
        overwrite: bool = False,
        verify: Callable[[bytes], None] | None = None,
    ) -> None:
        """Restore this database's keys from a recovery file; different existing keys need overwrite=True.

        Nothing is written until the file has opened with ``passphrase`` (its check value and AES-GCM tag),
        its keys have loaded as well-formed keys and, when the data key would change, ``verify(data_key)`` has
        accepted the imported one (it raises KeyStoreError when the key cannot decrypt this database's encrypted
        fields: the file is not this database's, e.g. another institution's).
        """
        path = Path(path)
        imported = _unseal(_read_recovery(path), path, self.namespace, passphrase or "")
        existing = self._read()
        if existing is not None:
            if not existing.same_secrets(imported) and not overwrite:
                raise KeyStoreError(
                    f"本机密钥环中已有数据库 {self.namespace} 的另一套密钥，与恢复文件中的不同，"
                    "未做任何改动。如确认要以恢复文件中的密钥替换（用现有密钥加密的数据将无法再解密），请选择覆盖后重新导入。"
                )
            # Keep every public key either side knew, so all tickets issued so far still verify.
            imported = imported.with_retired(existing.signing_key.public_key(), *existing.retired)
            if imported.dump() == existing.dump():
                return
        if verify is not None and (existing is None or not hmac.compare_digest(existing.data_key, imported.data_key)):
            verify(imported.data_key)  # before anything is written
        self._write(imported)

    # -- keyring access

    def _require(self) -> _Keys:
        keys = self._read()
        if keys is None:
            raise KeyStoreError(
                f"本机密钥环中没有数据库 {self.namespace} 的密钥：若该数据库是从别的电脑迁来或本机重装过，"
                "请导入该数据库的密钥恢复文件；若是新数据库，请先完成初始化（jlexam init）。"
            )
        return keys

    def _read(self) -> _Keys | None:
        if self._cached is None:
            backend = _usable_backend()
            text = _keyring_call(backend.get_password, SERVICE, self.namespace)
            if text is None:
                return None
            try:
                self._cached = _Keys.load(text)
            except (ValueError, KeyError, TypeError):
                raise KeyStoreError(f"本机密钥环中数据库 {self.namespace} 的密钥已损坏：请导入该数据库的"
                                    "密钥恢复文件并选择覆盖。") from None
        return self._cached

    def _write(self, keys: _Keys) -> None:
        text = keys.dump()
        if len(text) > _MAX_ENTRY_CHARS:
            raise KeyStoreError(f"保留的旧签名公钥过多（{len(keys.retired)} 个），密钥环放不下："
                                "请不要频繁更换签名密钥；如确需更换，请先联系维护人员清理旧公钥。")
        backend = _usable_backend()
        _keyring_call(backend.set_password, SERVICE, self.namespace, text)
        self._cached = keys


def _keyring_call(method: Any, *args: str) -> Any:
    try:
        return method(*args)
    except (KeyringError, OSError, ValueError, configparser.Error) as exc:
        raise KeyStoreError(f"访问密钥环失败（{type(exc).__name__}: {exc}）。若系统密钥环已锁定，请先解锁；"
                            + _FIX) from None


# ---------------------------------------------------------------------------------------------- recovery


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """(AES key, passphrase check value) from the passphrase; the check tells a wrong passphrase apart."""
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    material = Scrypt(salt=salt, length=KEY_SIZE + 16, n=n, r=r, p=p).derive(secret)
    return material[:KEY_SIZE], material[KEY_SIZE:]


def _aad(namespace: str) -> bytes:
    return f"{RECOVERY_FORMAT}:{RECOVERY_VERSION}:{namespace}".encode()


def _seal(keys: _Keys, namespace: str, passphrase: str) -> dict[str, Any]:
    salt, nonce = os.urandom(16), os.urandom(12)
    key, check = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, keys.dump().encode("utf-8"), _aad(namespace))
    return {
        "format": RECOVERY_FORMAT,
        "version": RECOVERY_VERSION,
        "namespace": namespace,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "check": _b64(check),
        "cipher": {"name": "AES-256-GCM", "nonce": _b64(nonce)},
        "ciphertext": _b64(sealed),
    }


def _read_recovery(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except OSError as exc:
        raise KeyStoreError(f"无法读取恢复文件 {path}（{exc.strerror}）：请确认文件存在且可读。") from None
    except ValueError:
        raise _corrupt(path) from None
    if not isinstance(document, dict) or document.get("format") != RECOVERY_FORMAT:
        raise _corrupt(path)
    if document.get("version") != RECOVERY_VERSION:
        raise KeyStoreError(f"恢复文件 {path} 的格式版本（{document.get('version')}）不受本程序支持："
                            "请升级 jlexam 后再导入。")
    return document


def _unseal(document: dict[str, Any], path: Path, namespace: str, passphrase: str) -> _Keys:
    if document.get("namespace") != namespace:
        raise KeyStoreError(f"恢复文件 {path} 属于另一个数据库（{document.get('namespace')}），"
                            f"而当前数据库是 {namespace}：请选择本数据库导出的恢复文件。")
    try:
        kdf, cipher = document["kdf"], document["cipher"]
        n, r, p = kdf["n"], kdf["r"], kdf["p"]
        if kdf["name"] != "scrypt" or cipher["name"] != "AES-256-GCM" or not _sane_scrypt(n, r, p):
            raise ValueError("unsupported parameters")
        salt, check = _unb64(kdf["salt"]), _unb64(document["check"])
        nonce, sealed = _unb64(cipher["nonce"]), _unb64(document["ciphertext"])
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise _corrupt(path) from None
    key, expected = _derive(passphrase, salt, n, r, p)
    if not hmac.compare_digest(check, expected):
        raise KeyStoreError(f"恢复文件 {path} 的口令不正确：请输入导出该文件时设定的口令"
                            "（注意大小写和输入法）。")
    try:
        return _Keys.load(AESGCM(key).decrypt(nonce, sealed, _aad(namespace)))
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise _corrupt(path) from None


def _sane_scrypt(n: Any, r: Any, p: Any) -> bool:
    # Bounds keep a hostile file from demanding gigabytes of memory.
    ints = all(type(x) is int for x in (n, r, p))
    return ints and 2**14 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4


def _corrupt(path: Path) -> KeyStoreError:
    return KeyStoreError(f"恢复文件 {path} 已损坏或不是 jlexam 的密钥恢复文件：请换用另一份恢复文件"
                         "（例如 U 盘或其他电脑上保存的副本）。")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, so a crash never leaves a half-written file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise KeyStoreError(f"无法写入恢复文件 {path}（{exc.strerror}）：请选择存在且可写的文件夹"
                            "（例如 U 盘）后重试。") from None
