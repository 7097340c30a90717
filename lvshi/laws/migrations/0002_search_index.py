"""The search index of the articles: an FTS5 table on SQLite, a tsvector
table with a GIN index on PostgreSQL (lvshi.laws.search)."""

from django.db import migrations


def _statements(vendor: str, which: str) -> list[str]:
    from lvshi.laws.search import postgres, sqlite

    if vendor == "postgresql":
        return list(getattr(postgres, which))
    return [getattr(sqlite, which)]


def create(apps, schema_editor):
    from lvshi.laws.search import postgres, sqlite

    vendor = schema_editor.connection.vendor
    for statement in _statements(vendor, "CREATE"):
        schema_editor.execute(statement)
    # Articles imported before the index existed.
    backend = postgres if vendor == "postgresql" else sqlite
    rows = apps.get_model("laws", "Article").objects.values_list("pk", "text")
    for start in range(0, rows.count(), 2000):
        backend.index(list(rows.order_by("pk")[start : start + 2000]))


def drop(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, "DROP"):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("laws", "0001_library")]

    operations = [migrations.RunPython(create, drop)]
