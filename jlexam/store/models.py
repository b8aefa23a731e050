"""The database tables (SQLAlchemy 2 declarative models).

Sensitive personal data is never stored in clear: ID and phone numbers are AES-GCM blobs (``*_enc``) with an
HMAC index (``*_index``) for exact look-up and a masked copy for lists (002 §31). Every schema change goes
through an Alembic migration in ``jlexam/store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names so that migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC, aware on the way in and out, whatever the database keeps (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Setting(Base):
    """Key/value settings of this database, e.g. ``database_id`` (namespaces its keys in the keyring)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class UserRole(Base):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[User] = relationship(back_populates="roles")


class ChainHead(Base):
    """The last link of each hash chain ("audit", later one per paper packet).

    Locked FOR UPDATE while a link is appended, so two PCs on one PostgreSQL server append in turn; it also
    lets ``audit verify`` notice links deleted from the end of a chain.
    """

    __tablename__ = "chain_head"
    chain: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CalendarOverride(Base):
    """An admin-entered day of the State Council schedule (True = working day); wins over the bundled one."""

    __tablename__ = "calendar_override"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class CalendarYear(Base):
    """A year the admin declared complete in the overrides (so its answers are not provisional)."""

    __tablename__ = "calendar_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200), default="")


class Institution(Base):
    """The institution as filed with the province (001 §7); one per database."""

    __tablename__ = "institution"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(300), default="")
    legal_representative: Mapped[str] = mapped_column(String(64), default="")
    contact_person: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    filing_number: Mapped[str] = mapped_column(String(64), default="")
    filed_on: Mapped[date | None] = mapped_column(Date)
    filing_valid_until: Mapped[date | None] = mapped_column(Date)
    star_rating: Mapped[int | None] = mapped_column(Integer)
    star_rating_valid_until: Mapped[date | None] = mapped_column(Date)
    # The four configured parts of the national certificate number (RULES.md "Certificates").
    cert_category: Mapped[str] = mapped_column(String(1), default="Y")
    cert_institution_code: Mapped[str] = mapped_column(String(4), default="0000")
    cert_province: Mapped[str] = mapped_column(String(2), default="22")
    cert_site_serial: Mapped[str] = mapped_column(String(6), default="000000")
    refiling_due: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[list[ScopeEntry]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", lazy="selectin"
    )


class ScopeEntry(Base):
    """One approved occupation x work type x level of the filing (002 §16)."""

    __tablename__ = "scope_entry"
    __table_args__ = (UniqueConstraint("institution_id", "occupation_code", "work_type", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"))
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"))
    work_type: Mapped[str] = mapped_column(String(100), default="")  # "" when the occupation has none
    level: Mapped[int] = mapped_column(Integer)
    institution: Mapped[Institution] = relationship(back_populates="scope")


class InstitutionChange(Base):
    """A change of filed data; those listed by 001 §8 require re-filing."""

    __tablename__ = "institution_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    requires_refiling: Mapped[bool] = mapped_column(Boolean, default=False)
    refiled_on: Mapped[date | None] = mapped_column(Date)


class Occupation(Base):
    """An occupation of the 2022 classification; work types and levels are ``|``-separated."""

    __tablename__ = "occupation"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    work_types: Mapped[str] = mapped_column(Text, default="")
    levels: Mapped[str] = mapped_column(String(16), default="5|4|3|2|1")
    # The occupation's standard as JSON (jlexam.domain.standards); None = the bundled one.
    standard: Mapped[str | None] = mapped_column(Text)


class MajorMapping(Base):
    """A university major matched to an occupation it may certify (003)."""

    __tablename__ = "major_mapping"
    __table_args__ = (UniqueConstraint("major", "occupation_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    major: Mapped[str] = mapped_column(String(100), index=True)
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"))


class Site(Base):
    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    rooms: Mapped[list[Room]] = relationship(back_populates="site", cascade="all, delete-orphan")


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))  # theory, practical, review, exam_office, waiting, marking
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    seat_rows: Mapped[int] = mapped_column(Integer, default=0)
    seat_columns: Mapped[int] = mapped_column(Integer, default=0)
    seats_out_of_use: Mapped[str] = mapped_column(Text, default="")  # "r-c" pairs, comma-separated
    video_surveillance: Mapped[bool] = mapped_column(Boolean, default=False)
    site: Mapped[Site] = relationship(back_populates="rooms")


class Sitting(Base):
    """One certification event (认定批次); ``state`` follows the life in DESIGN.md."""

    __tablename__ = "sitting"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    registration_opens_on: Mapped[date | None] = mapped_column(Date)
    registration_closes_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    announced_on: Mapped[date | None] = mapped_column(Date)
    announcement_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    offers: Mapped[list[SittingOffer]] = relationship(
        back_populates="sitting", cascade="all, delete-orphan", lazy="selectin"
    )


class SittingOffer(Base):
    """An occupation x work type x level offered in a sitting, with its published fee (002 §15)."""

    __tablename__ = "sitting_offer"
    __table_args__ = (UniqueConstraint("sitting_id", "occupation_code", "work_type", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"))
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"))
    work_type: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[int] = mapped_column(Integer)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    sitting: Mapped[Sitting] = relationship(back_populates="offers")


class ExamSession(Base):
    """A timed part of a sitting (场次): theory, practical or review, for one occupation and level or all."""

    __tablename__ = "exam_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(16))
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupation.code"))
    level: Mapped[int | None] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Candidate(Base):
    """A person assessed; ID and phone numbers encrypted, with an HMAC index and a masked copy."""

    __tablename__ = "candidate"
    __table_args__ = (UniqueConstraint("id_type", "id_number_index"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(8))
    id_type: Mapped[str] = mapped_column(String(32), default="resident_id")
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str] = mapped_column(String(40))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(32), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    student_number: Mapped[str | None] = mapped_column(String(40))
    major: Mapped[str | None] = mapped_column(String(100))
    graduation_year: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CandidatePhoto(Base):
    __tablename__ = "candidate_photo"
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True
    )
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class Application(Base):
    """A candidate applying for one occupation and level in one sitting (报名)."""

    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("sitting_id", "candidate_id", "occupation_code", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id"), index=True)
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"))
    work_type: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    years_in_occupation: Mapped[int | None] = mapped_column(Integer)
    prior_level: Mapped[int | None] = mapped_column(Integer)
    prior_certificate_date: Mapped[date | None] = mapped_column(Date)
    professional_title: Mapped[str | None] = mapped_column(String(32))
    title_date: Mapped[date | None] = mapped_column(Date)
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    fee_waived: Mapped[bool] = mapped_column(Boolean, default=False)
    # The rules engine's finding (002 §17) and the reviewer's decision, kept apart.
    eligibility: Mapped[str] = mapped_column(String(16), default="pending")  # pending, eligible, ineligible
    eligibility_summary: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(16))  # approved, rejected
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decision_override: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The result computed from the locked scores and the standard (002 §25): passed, failed, absent.
    result: Mapped[str | None] = mapped_column(String(16))
    result_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    candidate: Mapped[Candidate] = relationship()
    evidence: Mapped[list[ApplicationEvidence]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )


class ApplicationEvidence(Base):
    """A file kept with an application as evidence of its eligibility (002 §17)."""

    __tablename__ = "application_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # diploma, certificate, work_proof, title, other
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(64))
    application: Mapped[Application] = relationship(back_populates="evidence")


class PaperPacket(Base):
    """A sealed packet of paper copies for one session and room (002 §22)."""

    __tablename__ = "paper_packet"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exam_session.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    paper_code: Mapped[str] = mapped_column(String(64))  # from the item bank, unchangeable once sealed
    paper_version: Mapped[str] = mapped_column(String(32))
    copies: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CustodyEvent(Base):
    """One step of a packet's custody; the events of a packet form a hash chain ("custody:<code>")."""

    __tablename__ = "custody_event"
    __table_args__ = (UniqueConstraint("packet_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[int] = mapped_column(ForeignKey("paper_packet.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    from_place: Mapped[str] = mapped_column(String(200), default="")
    persons: Mapped[str] = mapped_column(Text, default="")  # "、"-separated names
    witnesses: Mapped[str] = mapped_column(Text, default="")
    seal_number: Mapped[str] = mapped_column(String(64), default="")
    copies: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class KeyHolder(Base):
    """A custodian of a key to the papers' strong room (two different custodians, RULES.md *practice*)."""

    __tablename__ = "key_holder"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    key_label: Mapped[str] = mapped_column(String(64))
    appointed_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ScoreEntry(Base):
    """One clerk's entry of one part's score (双人录入: round 1 and round 2 by two different users)."""

    __tablename__ = "score_entry"
    __table_args__ = (UniqueConstraint("application_id", "part", "round"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer)
    mark: Mapped[str] = mapped_column(String(16))  # "85.5", "absent" or "misconduct"
    entered_by: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Score(Base):
    """The reconciled score of one part; locked once reconciled, changed after that only with a reason."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("application_id", "part"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(16))
    mark: Mapped[str] = mapped_column(String(16))
    settled_by: Mapped[str | None] = mapped_column(String(64))  # who settled a mismatch, if any
    locked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScoreChange(Base):
    __tablename__ = "score_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    score_id: Mapped[int] = mapped_column(ForeignKey("score.id", ondelete="CASCADE"), index=True)
    old_mark: Mapped[str] = mapped_column(String(16))
    new_mark: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objection.id"))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Publicity(Base):
    """A publication of a sitting's results (成绩公示); republished after a changed score (version + 1)."""

    __tablename__ = "publicity"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Objection(Base):
    """An objection raised during publicity, answered within 5 working days of receipt (002 §25)."""

    __tablename__ = "objection"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    raised_by: Mapped[str] = mapped_column(String(64))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    subject: Mapped[str] = mapped_column(Text)
    recheck_summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by: Mapped[str | None] = mapped_column(String(64))


# --- issue 5: seat plans, staff, tickets, exam day ---------------------------------------------------------
class SeatPlanRecord(Base):
    """How a session's seats were allocated (seed and strategy, so the plan can be reproduced) and its lock."""

    __tablename__ = "seat_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"), unique=True)
    seed: Mapped[int] = mapped_column(Integer)
    strategy: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    room_ids: Mapped[str] = mapped_column(Text, default="", server_default="")  # "|"-separated, plan order


class SeatAssignment(Base):
    __tablename__ = "seat_assignment"
    __table_args__ = (
        UniqueConstraint("session_id", "application_id"),
        UniqueConstraint("session_id", "room_id", "seat_row", "seat_column", name="uq_seat_assignment_seat"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    seat_row: Mapped[int] = mapped_column(Integer)
    seat_column: Mapped[int] = mapped_column(Integer)
    seat_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    """The admission ticket of an application (002 §20): issued by the room arrangement."""

    __tablename__ = "ticket"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StaffMember(Base):
    """A person who may work a sitting, with the qualification that lets them (002 §38, §44)."""

    __tablename__ = "staff_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    roles: Mapped[str] = mapped_column(
        String(200)
    )  # "|"-separated: invigilator, assessor, internal_supervisor, ...
    employer: Mapped[str] = mapped_column(String(200), default="")
    internal: Mapped[bool] = mapped_column(Boolean, default=True)  # the institution's own staff
    certificate_number: Mapped[str] = mapped_column(String(64), default="")  # assessor / supervisor card
    occupations: Mapped[str] = mapped_column(Text, default="")  # "|"-separated occupation codes assessed
    max_level: Mapped[int | None] = mapped_column(
        Integer
    )  # the highest level (lowest number) they may assess
    appointed_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # appointments last 3 years (002 §38, §44)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffAssignment(Base):
    """A person's duty in one session (and room); fixed before the sitting (002 §21)."""

    __tablename__ = "staff_assignment"
    __table_args__ = (UniqueConstraint("session_id", "staff_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    duty: Mapped[str] = mapped_column(String(32))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StaffChange(Base):
    """A change to a locked arrangement (staff or seats): needs a reason and a supervisor's approval (002 §21)."""

    __tablename__ = "staff_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="staff", server_default="staff")  # staff or seat
    description: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class MarkerAssignment(Base):
    """An assessor chosen to mark a session's papers, per room or for the whole session (002 §25)."""

    __tablename__ = "marker_assignment"
    __table_args__ = (UniqueConstraint("session_id", "staff_id", "room_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))  # None: every room of the session
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Briefing(Base):
    """The staff briefing before the sitting (002 §23), with who attended."""

    __tablename__ = "briefing"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(UtcDateTime())
    place: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="")  # "|"-separated staff ids


class CheckIn(Base):
    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("session_id", "application_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    method: Mapped[str] = mapped_column(String(16))  # scan or manual
    reason: Mapped[str] = mapped_column(Text, default="")  # why manual
    recorded_by: Mapped[str] = mapped_column(String(64))


class RoomEvent(Base):
    """An absence, misconduct or incident recorded per room (002 attachment 9), signed by the invigilators."""

    __tablename__ = "room_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    kind: Mapped[str] = mapped_column(String(16))  # absent, misconduct, incident
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    signed_by: Mapped[str] = mapped_column(Text, default="")  # invigilators' names, "|"-separated
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    recorded_by: Mapped[str] = mapped_column(String(64))


# --- issue 8: certificates, blank stock, upload batches ---------------------------------------------------
class CertificateCounter(Base):
    """The last serial used under one number prefix and issue year; serials are never reused (RULES.md)."""

    __tablename__ = "certificate_counter"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)


class Certificate(Base):
    """A certificate issued to a passed application (002 §26); reissues and corrections are new rows."""

    __tablename__ = "certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(22), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # original, reissue, correction
    status: Mapped[str] = mapped_column(String(16))  # valid, replaced, voided
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    issue_date: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(64))  # as printed (a correction may change it)
    id_type: Mapped[str] = mapped_column(String(32))
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_masked: Mapped[str] = mapped_column(String(40))
    occupation_code: Mapped[str] = mapped_column(String(16))
    work_type: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[int] = mapped_column(Integer)
    # The institution's filed name when issued, printed on the certificate and every reprint of it (002 §26).
    institution_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    blank_serial: Mapped[str | None] = mapped_column(String(32))  # the pre-printed form used, if any
    reason: Mapped[str] = mapped_column(Text, default="")  # why reissued, corrected or voided
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StockLedgerEntry(Base):
    """A line of the blank-certificate ledger (002 §27): receipts, issues, spoils, voids, stock-takes."""

    __tablename__ = "stock_ledger_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    custodian: Mapped[str] = mapped_column(String(64))
    handler: Mapped[str] = mapped_column(String(64), default="")
    first_serial: Mapped[int | None] = mapped_column(Integer)
    last_serial: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    counted: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(64))


class UploadBatch(Base):
    """A signed upload batch (DESIGN.md) and its life: exported, uploaded (receipt), acknowledged."""

    __tablename__ = "upload_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer)
    earliest_issue: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))  # exported, uploaded, acknowledged
    receipt_number: Mapped[str] = mapped_column(String(64), default="")
    uploaded_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batch.id"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UploadBatchItem(Base):
    __tablename__ = "upload_batch_item"
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id", ondelete="CASCADE"), primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), primary_key=True)


# --- issue 9: archives (002 §34-36) ------------------------------------------------------------------------
class SittingArchive(Base):
    """A sitting's archive (归档): made once the sitting is reported; its items are the archive index."""

    __tablename__ = "sitting_archive"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), unique=True)
    archived_on: Mapped[date] = mapped_column(Date)  # Beijing date; retention counts from it (002 §36)
    archived_at: Mapped[datetime] = mapped_column(UtcDateTime())
    archived_by: Mapped[str] = mapped_column(String(64))
    paper_location: Mapped[str] = mapped_column(String(300), default="")  # where the paper originals are kept
    paper_years: Mapped[int] = mapped_column(Integer)
    electronic_years: Mapped[int] = mapped_column(Integer)
    # The last archive package written (its ZIP's SHA-256), so a copy can be checked against the database.
    package_file: Mapped[str] = mapped_column(String(255), default="")
    package_sha256: Mapped[str] = mapped_column(String(64), default="")
    package_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    items: Mapped[list[ArchiveItem]] = relationship(
        back_populates="archive", cascade="all, delete-orphan", order_by="ArchiveItem.seq"
    )


class ArchiveItem(Base):
    """One line of a sitting's archive index: a document or a set of records, paper or electronic."""

    __tablename__ = "archive_item"
    __table_args__ = (UniqueConstraint("archive_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("sitting_archive.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))  # announcement, roster, evidence, seating, ...
    title: Mapped[str] = mapped_column(String(300))
    medium: Mapped[str] = mapped_column(String(16))  # paper, electronic
    records: Mapped[int] = mapped_column(Integer, default=0)  # how many records or pages it holds
    reference: Mapped[str] = mapped_column(String(300), default="")  # e.g. the evidence row, the source table
    file_name: Mapped[str] = mapped_column(String(255), default="")  # its name in the archive package
    location: Mapped[str] = mapped_column(String(300), default="")  # where the original is kept
    retain_until: Mapped[date] = mapped_column(Date)
    destroyed_on: Mapped[date | None] = mapped_column(Date)
    destroyed_by: Mapped[str | None] = mapped_column(String(64))
    destruction_reason: Mapped[str] = mapped_column(Text, default="")
    archive: Mapped[SittingArchive] = relationship(back_populates="items")
