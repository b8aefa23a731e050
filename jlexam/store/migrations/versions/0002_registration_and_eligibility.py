"""registration and eligibility

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "exam_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("occupation_code", sa.String(length=16), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["occupation_code"], ["occupation.code"], name=op.f("fk_exam_session_occupation_code_occupation")
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["sitting.id"],
            name=op.f("fk_exam_session_sitting_id_sitting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_session")),
    )
    with op.batch_alter_table("exam_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_session_sitting_id"), ["sitting_id"], unique=False)

    op.create_table(
        "major_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("major", sa.String(length=100), nullable=False),
        sa.Column("occupation_code", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["occupation_code"], ["occupation.code"], name=op.f("fk_major_mapping_occupation_code_occupation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_major_mapping")),
        sa.UniqueConstraint("major", "occupation_code", name=op.f("uq_major_mapping_major")),
    )
    with op.batch_alter_table("major_mapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_major_mapping_major"), ["major"], unique=False)

    op.create_table(
        "application_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_application_evidence_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_evidence")),
    )
    with op.batch_alter_table("application_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_evidence_application_id"), ["application_id"], unique=False
        )

    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("professional_title", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("title_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("fee_cents", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("fee_waived", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column("eligibility", sa.String(length=16), nullable=False, server_default="pending")
        )
        batch_op.add_column(sa.Column("eligibility_summary", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("decision", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("decision_override", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("decided_by", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("standard", sa.Text(), nullable=True))

    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("announcement_notes", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:

    with op.batch_alter_table("sitting", schema=None) as batch_op:
        batch_op.drop_column("announcement_notes")
        batch_op.drop_column("announced_on")

    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.drop_column("standard")

    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("decision_override")
        batch_op.drop_column("decision_reason")
        batch_op.drop_column("decision")
        batch_op.drop_column("eligibility_summary")
        batch_op.drop_column("eligibility")
        batch_op.drop_column("fee_waived")
        batch_op.drop_column("fee_cents")
        batch_op.drop_column("title_date")
        batch_op.drop_column("professional_title")

    with op.batch_alter_table("application_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_evidence_application_id"))

    op.drop_table("application_evidence")
    with op.batch_alter_table("major_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_major_mapping_major"))

    op.drop_table("major_mapping")
    with op.batch_alter_table("exam_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_session_sitting_id"))

    op.drop_table("exam_session")
