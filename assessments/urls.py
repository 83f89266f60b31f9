from django.urls import path

from . import (
    assignment_views,
    cycle_views,
    goal_views,
    search_views,
    texts_views,
    views,
    whatif_views,
)

app_name = "assessments"

goal = "<str:code>/<int:year>/goals/<str:goal>/"

urlpatterns = [
    path("cycle/<int:year>/", views.assessment_list, name="list"),
    path("cycle/<int:year>/assignments/", assignment_views.assignments, name="assignments"),
    path(
        "cycle/<int:year>/assignments/import/",
        assignment_views.assignments_import,
        name="assignments_import",
    ),
    path("goal/<int:year>/<str:number>/", goal_views.goal_across_country, name="goal_across"),
    path("search/", search_views.search, name="search"),
    path("review/", views.review_queue, name="review_queue"),
    path("preview/", views.markdown_preview, name="preview"),
    path("<str:code>/<int:year>/", views.assessment_overview, name="overview"),
    path("<str:code>/<int:year>/texts/", texts_views.assessment_texts, name="texts"),
    path("<str:code>/<int:year>/texts/submit/", texts_views.texts_submit, name="texts_submit"),
    path("<str:code>/<int:year>/texts/approve/", texts_views.texts_approve, name="texts_approve"),
    path(
        "<str:code>/<int:year>/texts/request-changes/",
        texts_views.texts_request_changes,
        name="texts_request_changes",
    ),
    path("<str:code>/<int:year>/history/", views.assessment_history, name="history"),
    path("<str:code>/<int:year>/citations/", views.citation_checks, name="citation_checks"),
    path("<str:code>/<int:year>/what-if/", whatif_views.what_if_page, name="what_if"),
    path("<str:code>/<int:year>/what-if/save/", whatif_views.scenario_save, name="scenario_save"),
    path(
        "<str:code>/<int:year>/what-if/<int:pk>/", whatif_views.scenario_open, name="scenario_open"
    ),
    path(goal, views.determination_edit, name="determination"),
    path(goal + "submit/", views.determination_submit, name="submit"),
    path(goal + "withdraw/", views.determination_withdraw, name="withdraw"),
    path(goal + "approve/", views.determination_approve, name="approve"),
    path(goal + "request-changes/", views.determination_request_changes, name="request_changes"),
    path(goal + "accept-wording/", views.determination_accept_wording, name="accept_wording"),
    path(goal + "restore/", views.determination_restore, name="restore"),
    path(goal + "history/", views.determination_history, name="determination_history"),
    path("cycles/new/", cycle_views.cycle_new, name="cycle_new"),
    path(
        "<str:code>/compare/<int:year_a>/<int:year_b>/",
        cycle_views.compare,
        name="compare",
    ),
]
