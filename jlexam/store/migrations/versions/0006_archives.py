"""archives

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sitting_archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_by", sa.String(length=64), nullable=False),
        sa.Column("paper_location", sa.String(length=300), nullable=False),
        sa.Column("paper_years", sa.Integer(), nullable=False),
        sa.Column("electronic_years", sa.Integer(), nullable=False),
        sa.Column("package_file", sa.String(length=255), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.Column("package_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["sitting_id"], ["sitting.id"], name=op.f("fk_sitting_archive_sitting_id_sitting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitting_archive")),
        sa.UniqueConstraint("sitting_id", name=op.f("uq_sitting_archive_sitting_id")),
    )
    op.create_table(
        "archive_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("medium", sa.String(length=16), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("destroyed_on", sa.Date(), nullable=True),
        sa.Column("destroyed_by", sa.String(length=64), nullable=True),
        sa.Column("destruction_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["sitting_archive.id"],
            name=op.f("fk_archive_item_archive_id_sitting_archive"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_item")),
        sa.UniqueConstraint("archive_id", "seq", name=op.f("uq_archive_item_archive_id")),
    )
    with op.batch_alter_table("archive_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_item_archive_id"), ["archive_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("archive_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_item_archive_id"))

    op.drop_table("archive_item")
    op.drop_table("sitting_archive")
