"""Requests no page can answer are refused before any view or query sees them; a request
whose database connection was lost before it wrote anything is run again."""

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


class RetryOnLostConnectionMiddleware:
    """A request whose database connection was lost (pg_terminate_backend, a database
    restart) before it wrote anything is run once more on a new connection, instead of
    answering 500: with nothing written, that is what the user's next click would do. A
    request that had sent a write is not run again (the write may have been committed);
    the services retry their own transaction (`core.retry.retry_once`)."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.database_writes = 0

        def count_writes(execute, sql, params, many, context):
            if sql.lstrip()[:6].upper() in self.WRITES:
                request.database_writes += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count_writes):
            return self.get_response(request)

    def process_exception(self, request, exception):
        retried = getattr(request, "run_again_after_lost_connection", False)
        if retried or request.database_writes or not lost_connection(exception):
            return None
        request.run_again_after_lost_connection = True
        connection.close()  # the view's next query opens a new one
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
