from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "discussions"

    def ready(self):
        """The cycle search finds discussion comments too; it is registered from here
        because assessments, which holds the search, must not import this app."""
        from assessments import search

        from .search import COMMENTS

        search.register(COMMENTS)
