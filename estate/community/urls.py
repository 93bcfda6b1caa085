from django.urls import path

from estate.community import views

app_name = "community"
urlpatterns = [path("", views.office_page, name="office")]
