"""markers, seat changes after the lock, plan rooms in the plan record

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "marker_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
            name=op.f("fk_marker_assignment_session_id_exam_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_member.id"], name=op.f("fk_marker_assignment_staff_id_staff_member")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_marker_assignment_room_id_room")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marker_assignment")),
        sa.UniqueConstraint(
            "session_id", "staff_id", "room_id", name=op.f("uq_marker_assignment_session_id")
        ),
    )
    op.create_index(
        op.f("ix_marker_assignment_session_id"), "marker_assignment", ["session_id"], unique=False
    )
    with op.batch_alter_table("staff_change") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), server_default="staff", nullable=False))
    with op.batch_alter_table("seat_plan") as batch:
        batch.add_column(sa.Column("room_ids", sa.Text(), server_default="", nullable=False))
    # The room order used to be kept as a setting "seat_plan_rooms:<session id>": move it into the record.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT key, value FROM setting WHERE key LIKE 'seat_plan_rooms:%'")).all()
    for key, value in rows:
        session_id = int(key.split(":", 1)[1])
        conn.execute(
            sa.text("UPDATE seat_plan SET room_ids = :v WHERE session_id = :s"), {"v": value, "s": session_id}
        )
    conn.execute(sa.text("DELETE FROM setting WHERE key LIKE 'seat_plan_rooms:%'"))


def downgrade() -> None:
    with op.batch_alter_table("seat_plan") as batch:
        batch.drop_column("room_ids")
    with op.batch_alter_table("staff_change") as batch:
        batch.drop_column("kind")
    op.drop_index(op.f("ix_marker_assignment_session_id"), table_name="marker_assignment")
    op.drop_table("marker_assignment")
