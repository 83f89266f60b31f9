from django.urls import path

from . import views

app_name = "discussions"

assessment = "<str:code>/<int:year>/"

urlpatterns = [
    path(assessment + "threads/", views.assessment_threads, name="threads"),
    path(assessment + "goals/<str:goal>/threads/new/", views.thread_start_goal, name="start_goal"),
    path(assessment + "texts/threads/new/", views.thread_start_texts, name="start_texts"),
    path(assessment + "threads/<int:pk>/", views.thread_detail, name="thread"),
    path(assessment + "threads/<int:pk>/reply/", views.thread_reply, name="reply"),
    path(assessment + "threads/<int:pk>/resolve/", views.thread_resolve, name="resolve"),
    path(assessment + "threads/<int:pk>/reopen/", views.thread_reopen, name="reopen"),
    path(assessment + "comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
]
