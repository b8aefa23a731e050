"""the institution's filed name kept on each certificate as issued

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificate") as batch:
        batch.add_column(
            sa.Column("institution_name", sa.String(length=200), server_default="", nullable=False)
        )
    # Certificates issued before kept no name. The name they were issued under is the one the institution had
    # then: the old value of the first recorded change of the name after the issue, or, when the name has not
    # changed since, the current name.
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE certificate SET institution_name = COALESCE("
            "(SELECT c.old_value FROM institution_change c WHERE c.field = 'name' "
            "AND c.at > certificate.created_at ORDER BY c.at, c.id LIMIT 1), "
            "(SELECT i.name FROM institution i ORDER BY i.id LIMIT 1), '')"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("certificate") as batch:
        batch.drop_column("institution_name")
