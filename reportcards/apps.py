from django.apps import AppConfig


class ReportcardsConfig(AppConfig):
    name = "reportcards"
    verbose_name = "Report cards"
