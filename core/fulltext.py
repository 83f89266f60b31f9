"""Full-text search vectors and their GIN indexes, defined once.

A search reads `vector(...)` and a migration indexes exactly the same expression
(`FullTextIndex`), so PostgreSQL can answer from the index. The index exists on PostgreSQL
only: SQLite has no GIN indexes and no full-text search, and the search falls back to
substring matching there (assessments/search.py). The operation changes only the
database, never Django's model state, so models declare nothing and `makemigrations`
stays clean on both engines.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.migrations.operations.base import Operation

CONFIG = "english"


def vector(*fields: str) -> SearchVector:
    """The text search vector of `fields` (their text joined by spaces, English stemming)."""
    return SearchVector(*fields, config=CONFIG)


def query(words: str) -> SearchQuery:
    """What a person typed into a search box, in web search syntax ("quoted phrase",
    or, -word): never a syntax error."""
    return SearchQuery(words, config=CONFIG, search_type="websearch")


def index(name: str, *fields: str) -> GinIndex:
    return GinIndex(vector(*fields), name=name)


def uses_full_text(connection) -> bool:
    return connection.vendor == "postgresql"


class FullTextIndex(Operation):
    """Create the GIN index of `vector(*fields)` on `model` ("app_label.ModelName") on
    PostgreSQL; nothing elsewhere, and nothing in the model state."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model: str, name: str, fields: list[str]):
        self.model, self.name, self.fields = model, name, list(fields)

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model": self.model, "name": self.name, "fields": self.fields},
        )

    def state_forwards(self, app_label, state):
        """The index is the database's business only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if uses_full_text(schema_editor.connection):
            model = to_state.apps.get_model(self.model)
            schema_editor.add_index(model, index(self.name, *self.fields))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if uses_full_text(schema_editor.connection):
            model = from_state.apps.get_model(self.model)
            schema_editor.remove_index(model, index(self.name, *self.fields))

    def describe(self):
        return f"Full-text GIN index {self.name} on {self.model} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name
