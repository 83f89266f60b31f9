from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import dashboard, views

urlpatterns = [
    path("", views.home, name="home"),
    path("scores/<int:year>/status/", views.score_status, name="score_status"),
    path("dashboard/<int:year>/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<int:year>/scores.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path(
        "dashboard/<int:year>/<str:code>/",
        dashboard.dashboard_jurisdiction,
        name="dashboard_jurisdiction",
    ),
    path("assessments/", include("assessments.urls")),
    path("statutes/", include("statutes.urls")),
    # Only the account pages staff need; password resets go through an admin (no e-mail).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
]
