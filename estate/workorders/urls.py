from django.urls import path

from estate.workorders import field_views, views

app_name = "workorders"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new_order, name="new"),
    path("jobs/", field_views.jobs, name="jobs"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<str:action>/", views.act, name="act"),
    path("<int:pk>/print.pdf", views.print_pdf, name="print"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<int:pk>/materials/", views.record_material, name="record_material"),
    path("<int:pk>/materials/<int:line_id>/remove/", views.remove_material, name="remove_material"),
]
