from django.urls import path

from estate.reports import views

app_name = "reports"
urlpatterns = [path("", views.figures, name="figures")]
