from django.urls import path

from estate.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.office_dashboard, name="dashboard"),
    path("company/", views.company, name="company"),
    path("trend/", views.trend_data, name="trend"),
    path("monthly/", views.monthly, name="monthly"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("figures/<str:key>/", views.drill, name="drill"),
    path("clocks/<int:pk>/reason/", views.missed_reason, name="missed_reason"),
]
