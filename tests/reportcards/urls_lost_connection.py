"""The project's URLs plus one page whose database connection is terminated (as an
administrator's pg_terminate_backend would) the first time it is read."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from reportcards.urls import urlpatterns as project_urlpatterns
from statutes.models import Jurisdiction

runs: list[str] = []


def names_after_a_lost_connection(request):
    runs.append(request.method)
    if len(runs) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    names = Jurisdiction.objects.order_by("code").values_list("name", flat=True)
    return HttpResponse(", ".join(names))


urlpatterns = [
    path("lost-connection/", names_after_a_lost_connection),
    *project_urlpatterns,
]
