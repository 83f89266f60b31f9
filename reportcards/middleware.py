"""Requests no page can answer are refused before any view or query sees them."""

from django.http import HttpResponseBadRequest

# No path or query string needs them; PostgreSQL refuses NUL in text outright, which would
# otherwise surface as a server error.
from core.limits import CONTROL_CHARACTERS


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
