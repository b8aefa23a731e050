"""Importing a key recovery file never replaces this database's data key with one that cannot read its
encrypted ID and phone numbers (e.g. another institution's, or keys made afresh under the same identity)."""

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from jlexam.errors import KeyStoreError
from jlexam.security.keystore import KeyStore, configure_keyring
from jlexam.security.roles import Role
from jlexam.services import candidates, keys, registration
from jlexam.services.base import forget_keystores
from jlexam.store.models import Candidate
from tests.services.helpers import open_sitting, person

RECOVERY = "recovery passphrase 2026"


@pytest.fixture
def other_keyring(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """``use_other()`` switches to a second, empty file keyring (another PC); switched back afterwards."""
    previous = keyring.get_keyring()

    def use_other(name: str = "other") -> None:
        configure_keyring(f"file:{tmp_path / (name + '.cfg')}", "other keyring passphrase")
        forget_keystores()

    yield use_other
    keyring.set_keyring(previous)
    forget_keystores()


@pytest.fixture
def registered(db, admin, actor_for) -> int:
    """One candidate with an encrypted ID number and phone number; returns the candidate's id."""
    office = actor_for(Role.EXAM_OFFICE)
    open_sitting(admin, office)
    registration.register_application(office, "S2026-12", person(1))
    with db.reading() as s:
        return s.scalar(select(Candidate.id))


def _foreign_recovery(db, use_other, tmp_path: Path) -> Path:
    """A well-formed recovery file for this database's identity but with keys made elsewhere."""
    previous = keyring.get_keyring()
    use_other("foreign")
    store = KeyStore(db.database_id)
    store.ensure_keys()
    path = tmp_path / "foreign.recovery"
    store.export_recovery(path, RECOVERY)
    keyring.set_keyring(previous)
    forget_keystores()
    return path


def test_overwriting_with_keys_that_cannot_read_the_data_is_refused(db, admin, actor_for, registered,
                                                                    other_keyring, tmp_path):
    foreign = _foreign_recovery(db, other_keyring, tmp_path)
    before = KeyStore(db.database_id).data_key()
    with pytest.raises(KeyStoreError, match="另一套密钥"):  # without overwrite, as before
        keys.import_recovery(admin, foreign, RECOVERY)
    with pytest.raises(KeyStoreError, match=r"无法解密.*未做任何改动") as refused:
        keys.import_recovery(admin, foreign, RECOVERY, overwrite=True)
    assert "恢复文件" in refused.value.message
    forget_keystores()
    assert KeyStore(db.database_id).data_key() == before  # nothing replaced
    assert candidates.reveal_id_number(actor_for(Role.EXAM_OFFICE), registered, "核对").startswith("220102")


def test_the_right_file_replaces_wrong_keys_and_a_wrong_file_is_refused_on_a_new_pc(
        db, admin, actor_for, registered, other_keyring, tmp_path):
    good = tmp_path / "good.recovery"
    keys.export_recovery(admin, good, RECOVERY)
    foreign = _foreign_recovery(db, other_keyring, tmp_path)

    other_keyring("new-pc")  # a reinstalled PC: no keys for this database yet
    with pytest.raises(KeyStoreError, match="无法解密"):
        keys.import_recovery(admin, foreign, RECOVERY)
    assert not KeyStore(db.database_id).has_keys()

    KeyStore(db.database_id).ensure_keys()  # keys made afresh by mistake: the data cannot be read
    forget_keystores()
    with pytest.raises(KeyStoreError, match="无法解密"):
        candidates.reveal_id_number(actor_for(Role.EXAM_OFFICE), registered, "核对")
    keys.import_recovery(admin, good, RECOVERY, overwrite=True)  # the database's own keys: accepted
    assert candidates.reveal_id_number(actor_for(Role.EXAM_OFFICE), registered, "核对").startswith("220102")


def test_a_database_with_nothing_encrypted_accepts_its_file(db, admin, other_keyring, tmp_path):
    good = tmp_path / "good.recovery"
    keys.export_recovery(admin, good, RECOVERY)
    other_keyring("new-pc")
    keys.import_recovery(admin, good, RECOVERY)
    with pytest.raises(KeyStoreError, match="口令不正确"):
        keys.import_recovery(admin, good, RECOVERY + "x", overwrite=True)
    assert KeyStore(db.database_id).has_keys()
