"""The GIN index of the comments' full-text vector (discussions/search.py), on PostgreSQL
only: the same expression the search reads (core/fulltext.py `vector`). SQLite searches by
substring instead; no model declares the index, so makemigrations stays clean."""

from django.db import migrations

from core.fulltext import FullTextIndex


class Migration(migrations.Migration):

    dependencies = [
        ('discussions', '0001_discussion_threads'),
    ]

    operations = [
        FullTextIndex(model='discussions.Comment', name='comment_text_fts', fields=['text']),
    ]
