"""paper custody

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "key_holder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_label", sa.String(length=64), nullable=False),
        sa.Column("appointed_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_holder")),
    )
    op.create_table(
        "paper_packet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("paper_code", sa.String(length=64), nullable=False),
        sa.Column("paper_version", sa.String(length=32), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_paper_packet_room_id_room")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["exam_session.id"], name=op.f("fk_paper_packet_session_id_exam_session")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["sitting.id"],
            name=op.f("fk_paper_packet_sitting_id_sitting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_packet")),
        sa.UniqueConstraint("code", name=op.f("uq_paper_packet_code")),
    )
    with op.batch_alter_table("paper_packet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_packet_sitting_id"), ["sitting_id"], unique=False)

    op.create_table(
        "custody_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("packet_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("from_place", sa.String(length=200), nullable=False),
        sa.Column("persons", sa.Text(), nullable=False),
        sa.Column("witnesses", sa.Text(), nullable=False),
        sa.Column("seal_number", sa.String(length=64), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["packet_id"],
            ["paper_packet.id"],
            name=op.f("fk_custody_event_packet_id_paper_packet"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_event")),
        sa.UniqueConstraint("packet_id", "seq", name=op.f("uq_custody_event_packet_id")),
    )
    with op.batch_alter_table("custody_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_event_packet_id"), ["packet_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("custody_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_event_packet_id"))

    op.drop_table("custody_event")
    with op.batch_alter_table("paper_packet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_packet_sitting_id"))

    op.drop_table("paper_packet")
    op.drop_table("key_holder")
