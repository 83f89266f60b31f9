from django.urls import path

from . import views

app_name = "statutes"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.statute_list, name="list"),
    path("<str:code>/new/", views.statute_new, name="new"),
    path("<str:code>/<int:pk>/", views.statute_detail, name="detail"),
    path("<str:code>/<int:pk>/edit/", views.statute_edit, name="edit"),
    path("<str:code>/<int:pk>/history/", views.statute_history, name="history"),
]
