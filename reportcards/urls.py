from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import two_factor_views
from accounts.forms import LoginForm
from assessments import notification_views

from . import (
    audit_views,
    board_views,
    dashboard_views,
    inbox_views,
    publishing_views,
    release_views,
    survey_views,
    views,
)

card = "report-cards/<str:code>/<int:year>/"

handler400 = views.bad_request

urlpatterns = [
    path("", inbox_views.my_work, name="home"),
    path("national/", views.national, name="national"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notification_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path("scores/<int:year>/status/", views.score_status, name="score_status"),
    path("dashboard/<int:year>/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<int:year>/scores.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path(
        "dashboard/<int:year>/<str:code>/",
        dashboard_views.dashboard_jurisdiction,
        name="dashboard_jurisdiction",
    ),
    path(card, publishing_views.report_card, name="report_card"),
    path(card + "publish/", publishing_views.report_card_publish, name="report_card_publish"),
    path(card + "preview/", publishing_views.report_card_preview, name="report_card_preview"),
    path("jobs/preview/<int:pk>/", publishing_views.preview_job, name="preview_job"),
    path(
        "jobs/preview/<int:pk>/status/",
        publishing_views.preview_job_status,
        name="preview_job_status",
    ),
    path(
        "jobs/preview/<int:pk>/preview.pdf",
        publishing_views.preview_download,
        name="preview_download",
    ),
    path(
        card + "v<int:version>.pdf",
        publishing_views.report_card_download,
        name="report_card_download",
    ),
    path(
        card + "v<int:version>.html",
        publishing_views.report_card_edition,
        name="report_card_edition",
    ),
    path("jobs/publish/<int:pk>/", publishing_views.publish_job, name="publish_job"),
    path(
        "jobs/publish/<int:pk>/status/",
        publishing_views.publish_job_status,
        name="publish_job_status",
    ),
    path(
        "jobs/publish/<int:pk>/cancel/",
        publishing_views.publish_job_cancel,
        name="publish_job_cancel",
    ),
    path(
        "jobs/publish/<int:pk>/retry/", publishing_views.publish_job_retry, name="publish_job_retry"
    ),
    path("exports/<int:year>/", publishing_views.exports, name="exports"),
    path("cycles/<int:year>/release/", release_views.cycle_release, name="cycle_release"),
    path("cycles/<int:year>/changelog/", release_views.cycle_changelog, name="cycle_changelog"),
    path("cycles/<int:year>/survey/", survey_views.survey_charts, name="survey_charts"),
    path("cycles/<int:year>/survey/<str:number>/", survey_views.survey_chart, name="survey_chart"),
    path(
        "releases/job/<int:pk>/status/",
        release_views.release_job_status,
        name="release_job_status",
    ),
    path(
        "releases/job/<int:pk>/cancel/",
        publishing_views.release_job_cancel,
        name="release_job_cancel",
    ),
    path(
        "exports/job/<int:pk>/status/", publishing_views.export_job_status, name="export_job_status"
    ),
    path(
        "exports/job/<int:pk>/cancel/", publishing_views.export_job_cancel, name="export_job_cancel"
    ),
    path("exports/job/<int:pk>/retry/", publishing_views.export_job_retry, name="export_job_retry"),
    path("exports/file/<int:pk>/", publishing_views.export_download, name="export_download"),
    path("audit-log.csv", audit_views.audit_log_csv, name="audit_log"),
    path("assessments/cycle/<int:year>/board/", board_views.board, name="board"),
    path("assessments/cycle/<int:year>/board.csv", board_views.board_csv, name="board_csv"),
    path("assessments/", include("assessments.urls")),
    path("discussions/", include("discussions.urls")),
    path("statutes/", include("statutes.urls")),
    # Only the account pages staff need; password resets go through an admin (no e-mail).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
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
    path(
        "accounts/two-factor/enrol/",
        two_factor_views.two_factor_enrol,
        name="two_factor_enrol",
    ),
    path(
        "accounts/two-factor/verify/",
        two_factor_views.two_factor_verify,
        name="two_factor_verify",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]
