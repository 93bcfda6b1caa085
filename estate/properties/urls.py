from django.urls import path

from estate.properties import roster_views, views

app_name = "properties"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
    path("buildings/", views.building_list, name="building_list"),
    path("service-units/", views.service_unit_list, name="service_unit_list"),
    path("roster/", roster_views.roster, name="roster"),
    path("roster/export.<str:file_format>", roster_views.export_roster, name="roster_export"),
]
