from django.urls import path

from . import views

app_name = "statutes"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.statute_list, name="list"),
    path("<str:code>/new/", views.statute_new, name="new"),
    path("<str:code>/bills/", views.bill_list, name="bills"),
    path("<str:code>/bills/new/", views.bill_new, name="bill_new"),
    path("<str:code>/bills/<int:pk>/edit/", views.bill_edit, name="bill_edit"),
    path("<str:code>/bills/<int:pk>/history/", views.bill_history, name="bill_history"),
    path("<str:code>/<int:pk>/", views.statute_detail, name="detail"),
    path("<str:code>/<int:pk>/edit/", views.statute_edit, name="edit"),
    path("<str:code>/<int:pk>/history/", views.statute_history, name="history"),
]
