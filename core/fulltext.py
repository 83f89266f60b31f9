"""Full-text search vectors and their GIN indexes, defined once.

A model with long searched text (a narrative, a quote, a statute) stores its vector in a
generated column, `search_vector = stored_vector_field(...)`: PostgreSQL computes it when
the row is written, so ranking a search's hits reads it instead of re-parsing every text
on every search. Other searched rows (jurisdiction names, goal texts, comments) are short,
and their vector is computed by the query. `search_vector(model, fields)` is the one way a
search reads a vector, whichever kind the model has.

The GIN indexes exist on PostgreSQL only: SQLite has no GIN indexes and no full-text
search (the stored column is empty there), and the search falls back to substring
matching (assessments/search.py). The index operations change only the database, never
Django's model state, so `makemigrations` stays clean on both engines.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.migrations.operations.base import Operation
from django.db.models import F, GeneratedField

CONFIG = "english"
STORED = "search_vector"


def vector(*fields: str) -> SearchVector:
    """The text search vector of `fields` (their text joined by spaces, English stemming)."""
    return SearchVector(*fields, config=CONFIG)


class StoredVector(SearchVector):
    """The vector a generated column stores. SQLite has no vectors: there the column is
    always empty, and the search matches substrings instead."""

    def __init__(self, *fields: str, config: str = CONFIG):
        super().__init__(*fields, config=config)
        self.fields = fields

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def stored_vector_field(*fields: str) -> GeneratedField:
    """The `search_vector` column of a model: the vector of `fields`, kept by the database."""
    return GeneratedField(
        expression=StoredVector(*fields),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )


def search_vector(model, fields: tuple[str, ...]):
    """The vector of `fields` of `model` in a query: its stored column when it has one (which
    must be of the same fields, so that both engines search the same text), else computed."""
    try:
        stored = model._meta.get_field(STORED)
    except FieldDoesNotExist:
        return vector(*fields)
    if tuple(stored.expression.fields) != tuple(fields):
        raise ImproperlyConfigured(
            f"{model.__name__}.{STORED} is the vector of {stored.expression.fields}, "
            f"not of {fields}."
        )
    return F(STORED)


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


class RemoveFullTextIndex(FullTextIndex):
    """Drop a GIN index made by FullTextIndex (PostgreSQL only); reversed, make it again."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Drop full-text GIN index {self.name} on {self.model} (PostgreSQL only)"


class StoredVectorIndex(FullTextIndex):
    """The GIN index of a model's stored `search_vector` column (PostgreSQL only)."""

    def __init__(self, model: str, name: str):
        super().__init__(model, name, [STORED])

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"model": self.model, "name": self.name})

    def _index(self):
        return GinIndex(fields=[STORED], name=self.name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if uses_full_text(schema_editor.connection):
            model = to_state.apps.get_model(self.model)
            schema_editor.add_index(model, self._index())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if uses_full_text(schema_editor.connection):
            model = from_state.apps.get_model(self.model)
            schema_editor.remove_index(model, self._index())

    def describe(self):
        return f"GIN index {self.name} of {self.model}.{STORED} (PostgreSQL only)"
