from django.apps import AppConfig


class StatutesConfig(AppConfig):
    name = "statutes"
    verbose_name = "Jurisdictions and statutes"
