from django.urls import path

from estate.equipment import register_views, views

app_name = "equipment"

urlpatterns = [
    path("", views.equipment_list, name="list"),
    path("new/", views.equipment_new, name="new"),
    path("labels.pdf", views.labels, name="labels"),
    path("file/", register_views.register_file, name="register"),
    path("file/export.<str:file_format>", register_views.export_register, name="export"),
    path("l/<str:token>/", views.label, name="label"),
    path("<int:pk>/", views.equipment_detail, name="detail"),
    path("<int:pk>/edit/", views.equipment_edit, name="edit"),
    path("<int:pk>/fault/", views.report_fault, name="fault"),
    path("<int:pk>/inspection/", views.record_inspection, name="inspection"),
    path("<int:pk>/retire/", views.retire, name="retire"),
]
