from django.urls import path

from estate.emergencies import views

app_name = "emergencies"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("on-scene/<str:token>/", views.tap_check_in, name="tap_check_in"),
    path("<int:pk>/report/", views.save_report, name="save_report"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
