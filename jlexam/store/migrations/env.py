"""Alembic environment: migrations run on the connection jlexam hands over (see Database.upgrade)."""

from alembic import context

from jlexam.store.models import Base, UtcDateTime


def render_item(kind, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Migrations never import the models: a UtcDateTime column is written as the DateTime it stores."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
