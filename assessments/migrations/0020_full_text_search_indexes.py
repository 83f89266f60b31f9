"""GIN indexes of the search's full-text vectors (assessments/search.py), on PostgreSQL only.

Each index is of exactly the expression the search reads (core/fulltext.py `vector`);
SQLite has no GIN index and searches by substring instead. The indexes are the database's
business only: no model declares them, so makemigrations stays clean on both engines.
"""

from django.db import migrations

from core.fulltext import FullTextIndex


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0019_crosswalk_fresh_look'),
        ('statutes', '0003_law_dates_and_bill_status'),
    ]

    operations = [
        FullTextIndex(
            model='assessments.GoalDetermination',
            name='determination_narrative_fts',
            fields=['narrative'],
        ),
        FullTextIndex(
            model='assessments.Citation', name='citation_quote_fts', fields=['pinpoint', 'quote']
        ),
        FullTextIndex(
            model='statutes.Statute',
            name='statute_text_fts',
            fields=['citation', 'caption', 'text'],
        ),
        FullTextIndex(
            model='assessments.Recommendation', name='recommendation_text_fts', fields=['text']
        ),
        FullTextIndex(
            model='assessments.ReviewEvent', name='review_event_comment_fts', fields=['comment']
        ),
    ]
