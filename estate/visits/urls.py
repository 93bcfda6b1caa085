from django.urls import path

from estate.visits import questionnaire_views, views

app_name = "visits"
urlpatterns = [
    path("", views.my_visits, name="list"),
    path("<int:pk>/", views.record, name="record"),
    path("items/", views.items, name="items"),
    path("items/<int:pk>/answer/", views.answer, name="answer"),
    path("month/", views.month, name="month"),
    path("plan/", views.plan, name="plan"),
    path("issues/", views.issues, name="issues"),
    path("issues/<int:pk>/", views.issue_action, name="issue_action"),
    path("issues/regroup/", views.regroup, name="regroup"),
    path("questionnaires/", questionnaire_views.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/<int:pk>/",
        questionnaire_views.questionnaire_detail,
        name="questionnaire",
    ),
    path(
        "questionnaires/invitations/<int:pk>/paper/",
        questionnaire_views.record_paper_answer,
        name="questionnaire_paper",
    ),
]
