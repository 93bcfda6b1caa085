from django.urls import path

from estate.language import views

app_name = "language"
urlpatterns = [
    path("", views.library, name="library"),
    path("change/", views.change, name="change"),
    path("check/", views.check, name="check"),
]
