"""The project's URLs plus the statute library, for as long as the project's urls.py does
not include it yet (then this adds nothing)."""

from django.urls import include, path

from reportcards.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "statutes" for pattern in urlpatterns):
    urlpatterns.append(path("statutes/", include("statutes.urls")))
