from django.urls import path

from estate.messaging import views

app_name = "messaging"
urlpatterns = [
    path("unreached/", views.unreached, name="unreached"),
    path("unreached/<int:pk>/", views.settle, name="settle"),
    path("residents/<int:pk>/consent/", views.desk_consent, name="desk_consent"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/<str:language>/", views.edit_template, name="edit_template"),
]
