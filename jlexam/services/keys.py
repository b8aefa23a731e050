"""Signing keys and the data key: status, public key export, recovery file export and import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jlexam.errors import KeyStoreError
from jlexam.fileio import write_atomic
from jlexam.security import keystore as ks
from jlexam.security.fieldcrypto import FieldCipher
from jlexam.security.signing import key_id, public_key_pem
from jlexam.services.base import UnitOfWork, forget_keystores, use_case
from jlexam.services.candidates import ID_CONTEXT, PHONE_CONTEXT
from jlexam.store.models import Candidate, Certificate


@use_case("keys.export_public")
def export_public_key(uow: UnitOfWork, out: Path) -> str:
    """Write the current signing public key (PEM, SubjectPublicKeyInfo); returns its key id."""
    public = uow.keys.signing_key().public_key()
    write_atomic(Path(out), public_key_pem(public))
    kid = key_id(public)
    uow.audit("keys.export_public", "signing_key", kid, f"导出签名公钥到 {Path(out).name}")
    return kid


@use_case("keys.manage")
def export_recovery(uow: UnitOfWork, out: Path, passphrase: str) -> None:
    uow.keys.export_recovery(Path(out), passphrase)
    uow.audit("keys.export_recovery", "keys", uow.actor.db.database_id, f"导出密钥恢复文件 {Path(out).name}")


@use_case("keys.manage")
def import_recovery(uow: UnitOfWork, source: Path, passphrase: str, overwrite: bool = False) -> None:
    """Import the keys of a recovery file; refused, with nothing changed, unless the file opens with
    ``passphrase``, its keys are well-formed and its data key decrypts this database's encrypted fields."""
    uow.keys.import_recovery(
        Path(source), passphrase, overwrite=overwrite, verify=_opens_this_database(uow.session, Path(source))
    )
    forget_keystores()
    uow.audit("keys.import_recovery", "keys", uow.actor.db.database_id, f"从 {Path(source).name} 导入密钥")


@use_case("keys.manage")
def rotate_signing_key(uow: UnitOfWork) -> str:
    uow.keys.rotate_signing_key()
    kid = key_id(uow.keys.signing_key().public_key())
    uow.audit("keys.rotate", "signing_key", kid, "更换签名密钥（旧公钥保留用于验证）")
    return kid


def keyring_status() -> ks.KeyringStatus:
    return ks.keyring_status()


# Encrypted fields a data key is tried on: a few of the oldest and newest rows of each column.
_SAMPLED = (
    (Candidate.id_number_enc, ID_CONTEXT),
    (Candidate.phone_enc, PHONE_CONTEXT),
    (Certificate.id_number_enc, ID_CONTEXT),
)
_PER_END = 3


def _samples(s: Session) -> list[tuple[bytes, str]]:
    found: list[tuple[bytes, str]] = []
    for column, context in _SAMPLED:
        table = column.class_
        for order in (table.id.asc(), table.id.desc()):
            rows = s.scalars(select(column).where(column.is_not(None)).order_by(order).limit(_PER_END))
            found += [(bytes(blob), context) for blob in rows if (bytes(blob), context) not in found]
    return found


def _opens_this_database(s: Session, source: Path) -> Callable[[bytes], None]:
    """A check that a data key decrypts the encrypted ID and phone numbers already in this database."""
    samples = _samples(s)

    def verify(data_key: bytes) -> None:
        if not samples:
            return  # nothing encrypted yet: nothing the key could fail to read
        cipher = FieldCipher(data_key)
        failed = 0
        for blob, context in samples:
            try:
                cipher.decrypt(blob, context)
            except KeyStoreError:
                failed += 1
        if failed:
            raise KeyStoreError(
                f"恢复文件 {source.name} 中的数据密钥无法解密本数据库中已加密的证件号码或手机号码"
                f"（抽查 {len(samples)} 项，{failed} 项无法解密），未做任何改动：它不是本数据库（本机构）"
                "所用的密钥，导入后所有加密的证件号码都将无法读取。请换用本数据库导出的密钥恢复文件。"
            )

    return verify
