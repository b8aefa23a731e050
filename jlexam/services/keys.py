"""Signing keys and the data key: status, public key export, recovery file export and import."""

from __future__ import annotations

from pathlib import Path

from jlexam.fileio import write_atomic
from jlexam.security import keystore as ks
from jlexam.security.signing import key_id, public_key_pem
from jlexam.services.base import UnitOfWork, forget_keystores, use_case


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
    uow.keys.import_recovery(Path(source), passphrase, overwrite=overwrite)
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
