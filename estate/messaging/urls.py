from django.urls import path

from estate.messaging import views

app_name = "messaging"
urlpatterns = [
    path("unreached/", views.unreached, name="unreached"),
    path("unreached/<int:pk>/", views.settle, name="settle"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/<str:language>/", views.edit_template, name="edit_template"),
]
