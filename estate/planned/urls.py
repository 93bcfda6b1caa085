from django.urls import path

from estate.planned import views

app_name = "planned"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_form, name="plan_new"),
    path("plans/<int:pk>/", views.plan_form, name="plan_edit"),
]
