"""Requests no page can answer are refused before any view or query sees them; a read
whose database connection was lost is read again."""

from django.db import connection
from django.http import HttpResponseBadRequest

# No path or query string needs them; PostgreSQL refuses NUL in text outright, which would
# otherwise surface as a server error.
from core.limits import CONTROL_CHARACTERS
from core.retry import lost_connection


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = "".join(key + "".join(values) for key, values in request.GET.lists())
        if CONTROL_CHARACTERS.intersection(request.path + query):
            return HttpResponseBadRequest(
                "The address contains control characters (such as NUL) and cannot be served."
            )
        return self.get_response(request)


class RetryReadOnLostConnectionMiddleware:
    """A page read (GET or HEAD) whose database connection was lost while its view ran
    (pg_terminate_backend, a database restart) is read once more on a new connection,
    instead of answering 500. A read never writes, so running its view again is safe;
    writes are retried by their services (`core.retry.retry_once`), which know their
    transaction was rolled back."""

    SAFE_METHODS = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        retried = getattr(request, "read_retried_after_lost_connection", False)
        if retried or request.method not in self.SAFE_METHODS or not lost_connection(exception):
            return None
        request.read_retried_after_lost_connection = True
        connection.close()  # the view's next query opens a new one
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
