from django.urls import path

from estate.timerules import views

app_name = "timerules"
urlpatterns = [path("", views.board, name="board")]
