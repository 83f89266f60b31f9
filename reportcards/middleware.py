"""Requests no page can answer are refused before any view or query sees them."""

from django.http import HttpResponseBadRequest

# NUL and the other C0 control characters have no place in a path or query string; PostgreSQL
# refuses NUL in text outright, which would otherwise surface as a server error.
CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) | {"\x7f"}


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
