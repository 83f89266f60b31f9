"""/api/v1/: the API answers every caller itself (api/auth.py), so none of its pages sends
an anonymous caller to the login page."""

from django.contrib.auth.decorators import login_not_required

from .views import api

patterns, _, app_name = api.urls  # the namespace "api", which the docs page reverses
for pattern in patterns:
    login_not_required(pattern.callback)  # marks the view for LoginRequiredMiddleware
urlpatterns = patterns
