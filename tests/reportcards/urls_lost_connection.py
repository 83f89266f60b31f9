"""The project's URLs plus two pages whose database connection is terminated (as an
administrator's pg_terminate_backend would) the first time they run: one before it
writes anything, one after a write; and a page that only reads, for a connection lost
before the view (while a middleware reads the database)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from reportcards.urls import urlpatterns as project_urlpatterns
from statutes.models import Jurisdiction

runs: list[str] = []


def lose_the_connection_once():
    if len(runs) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


def listing() -> HttpResponse:
    return HttpResponse(
        ", ".join(Jurisdiction.objects.order_by("code").values_list("name", flat=True))
    )


def names(request):
    runs.append(request.method)
    lose_the_connection_once()
    return listing()


def plain(request):
    runs.append(request.method)
    return listing()


def create_then_list(request):
    runs.append(request.method)
    Jurisdiction.objects.create(code="ZZ", name="Zeta")
    lose_the_connection_once()
    return listing()


urlpatterns = [
    path("lost-connection/names/", names),
    path("lost-connection/create/", create_then_list),
    path("lost-connection/plain/", plain),
    *project_urlpatterns,
]
