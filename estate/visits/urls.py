from django.urls import path

from estate.visits import views

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
]
