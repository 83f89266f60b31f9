"""Requests no page can answer are refused before any view or query sees them; a request
whose database connection was lost before it wrote anything is run again."""

from django.db import OperationalError, connection
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
    the services retry their own transaction (`core.retry.retry_once`).

    It sits before the first middleware that reads the database (sessions), so it also
    covers a connection lost while the session, the user or their roles are read. A view's
    failure is caught as it happens (`process_exception`: the view runs again, nothing is
    logged); a middleware's has already become a 500 answer (logged, as Django does) when
    it gets here, so the whole request runs again."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._run(request)
        failed = response.status_code >= 500 and request.lost_connection
        if failed and self._may_run_again(request):
            connection.close()  # the second run opens a new one
            response = self._run(request)
        return response

    def _run(self, request):
        request.database_writes = 0
        request.lost_connection = False

        def watch(execute, sql, params, many, context):
            if sql.lstrip()[:6].upper() in self.WRITES:
                request.database_writes += 1
            try:
                return execute(sql, params, many, context)
            except OperationalError as error:
                request.lost_connection = request.lost_connection or lost_connection(error)
                raise

        with connection.execute_wrapper(watch):
            return self.get_response(request)

    @staticmethod
    def _may_run_again(request) -> bool:
        """Once per request, and only while nothing was written."""
        if getattr(request, "run_again_after_lost_connection", False):
            return False
        if request.database_writes:
            return False
        request.run_again_after_lost_connection = True
        return True

    def process_exception(self, request, exception):
        if not lost_connection(exception) or not self._may_run_again(request):
            return None
        connection.close()  # the view's next query opens a new one
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
