"""The database: engine, sessions, schema version check and migrations.

SQLite (the default, one file in the user data folder) runs in WAL mode with foreign keys on, and write
transactions start with ``BEGIN IMMEDIATE`` so that a transaction never reads a state another writer is about
to change. Any other SQLAlchemy URL (PostgreSQL for several PCs) works the same way.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from jlexam.errors import StorageError
from jlexam.paths import user_data_dir
from jlexam.store.models import Setting

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    return f"sqlite:///{user_data_dir() / 'jlexam.sqlite'}"


def normalize_url(text: str) -> str:
    """Accept a SQLAlchemy URL or a plain path to a SQLite file."""
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(text).expanduser().resolve()}"


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    status: str  # "empty", "current", "older" or "newer"


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy emit BEGIN itself (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get("jlexam_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One database the application works on, named by its URL."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.sqlite_path: Path | None = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.sqlite_path is not None and not self.sqlite_path.parent.exists():
            raise StorageError(
                f"数据库所在文件夹不存在：{self.sqlite_path.parent}。请先创建该文件夹或更换路径。"
            )
        self.engine = create_engine(self.url, future=True, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            _install_sqlite_hooks(self.engine)
        self._writer = self.engine.execution_options(jlexam_write=True)
        self._database_id: str | None = None

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"

    @property
    def display_name(self) -> str:
        return str(self.sqlite_path) if self.sqlite_path else make_url(self.url).render_as_string(True)

    # --- sessions -------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        with (
            self._translate_errors(),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (never committed)."""
        # Closing (not rolling back) ends the transaction without expiring what was loaded, so the rows a
        # query returns stay readable after the session is gone.
        with self._translate_errors(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StorageError(_explain_operational(exc, self.display_name)) from exc
        except DatabaseError as exc:
            if "file is not a database" in str(exc) or "malformed" in str(exc):
                raise StorageError(_corrupt_message(self.display_name)) from exc
            raise

    def dispose(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------------------------
    def schema_state(self) -> SchemaState:
        script = ScriptDirectory.from_config(_alembic_config())
        head = script.get_current_head() or ""
        try:
            with self.engine.connect() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
        except OperationalError as exc:
            raise StorageError(_explain_operational(exc, self.display_name)) from exc
        except DatabaseError as exc:
            raise StorageError(_corrupt_message(self.display_name)) from exc
        if current is None:
            return SchemaState(None, head, "empty")
        if current == head:
            return SchemaState(current, head, "current")
        known = {rev.revision for rev in script.walk_revisions()}
        return SchemaState(current, head, "older" if current in known else "newer")

    def check_schema(self) -> SchemaState:
        """Refuse a database written by a newer jlexam, or one not yet created."""
        state = self.schema_state()
        if state.status == "newer":
            raise StorageError(
                f"数据库 {self.display_name} 由更新版本的 jlexam 创建（结构版本 {state.current}），"
                "本程序无法安全打开。请把 jlexam 升级到最新版本后再试。"
            )
        if state.status == "empty":
            raise StorageError(f"数据库 {self.display_name} 尚未初始化。请先运行 `jlexam init`。")
        if state.status == "older":
            raise StorageError(
                f"数据库 {self.display_name} 由较早版本的 jlexam 创建，需要先升级结构：请运行 `jlexam init`"
                "（升级前会自动备份），或打开桌面程序按提示升级。"
            )
        return state

    def upgrade(self) -> None:
        """Create or migrate the schema to the code's head revision, and give the database its identity."""
        state = self.schema_state()
        if state.status == "newer":
            self.check_schema()
        cfg = _alembic_config()
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        with self.transaction() as s:
            if s.get(Setting, "database_id") is None:
                s.add(Setting(key="database_id", value=str(uuid.uuid4())))

    @property
    def database_id(self) -> str:
        """A UUID naming this database; its keys are kept in the keyring under it."""
        if self._database_id is None:
            with self.reading() as s:
                value = s.scalar(select(Setting.value).where(Setting.key == "database_id"))
            if value is None:
                raise StorageError(f"数据库 {self.display_name} 缺少标识，请运行 `jlexam init` 修复。")
            self._database_id = value
        return self._database_id


def _corrupt_message(name: str) -> str:
    return (
        f"数据库文件 {name} 已损坏或不是 jlexam 数据库。"
        "请用 `jlexam backup list` 查看备份，再用 `jlexam backup restore <备份>` 恢复。"
    )


def _explain_operational(exc: OperationalError, name: str) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "database or disk is full" in text or "No space left" in text:
        return f"磁盘已满，无法写入数据库 {name}。请清理磁盘空间后重试；本次操作未保存任何更改。"
    if "database is locked" in text:
        return f"数据库 {name} 正被其他程序占用。请关闭其他 jlexam 窗口后重试。"
    if "unable to open database file" in text:
        return f"无法打开数据库文件 {name}。请检查路径是否存在以及是否有读写权限。"
    if "file is not a database" in text or "malformed" in text:
        return _corrupt_message(name)
    if "Connection refused" in text or "could not connect" in text or "connection failed" in text:
        return f"无法连接数据库服务器 {name}。请检查服务器地址、端口和网络连接。"
    return f"数据库 {name} 出错：{text}"
