"""scores publicity objections

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "publicity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_publicity_sitting_id_sitting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity")),
    )
    with op.batch_alter_table("publicity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publicity_sitting_id"), ["sitting_id"], unique=False)

    op.create_table(
        "objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("raised_by", sa.String(length=64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("recheck_summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_objection_application_id_application")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_objection_sitting_id_sitting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objection_sitting_id"), ["sitting_id"], unique=False)

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("settled_by", sa.String(length=64), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_score_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
        sa.UniqueConstraint("application_id", "part", name=op.f("uq_score_application_id")),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_application_id"), ["application_id"], unique=False)

    op.create_table(
        "score_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_score_entry_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_entry")),
        sa.UniqueConstraint("application_id", "part", "round", name=op.f("uq_score_entry_application_id")),
    )
    with op.batch_alter_table("score_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_entry_application_id"), ["application_id"], unique=False)

    op.create_table(
        "score_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("score_id", sa.Integer(), nullable=False),
        sa.Column("old_mark", sa.String(length=16), nullable=False),
        sa.Column("new_mark", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"], ["objection.id"], name=op.f("fk_score_change_objection_id_objection")
        ),
        sa.ForeignKeyConstraint(
            ["score_id"], ["score.id"], name=op.f("fk_score_change_score_id_score"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_change")),
    )
    with op.batch_alter_table("score_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_change_score_id"), ["score_id"], unique=False)

    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("result_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:

    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("result_reason")
        batch_op.drop_column("result")

    with op.batch_alter_table("score_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_change_score_id"))

    op.drop_table("score_change")
    with op.batch_alter_table("score_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_entry_application_id"))

    op.drop_table("score_entry")
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_application_id"))

    op.drop_table("score")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_sitting_id"))

    op.drop_table("objection")
    with op.batch_alter_table("publicity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_sitting_id"))

    op.drop_table("publicity")
