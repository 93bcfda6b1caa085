from django.urls import path

from estate.patrols import views

app_name = "patrols"

urlpatterns = [
    path("routes/", views.routes, name="routes"),
    path("routes/<int:pk>/", views.route, name="route"),
    path("routes/<int:pk>/labels.pdf", views.labels, name="labels"),
    path("routes/<int:pk>/report/", views.report, name="report"),
    path("points/<int:pk>/move/<str:direction>/", views.move, name="move"),
    path("points/<int:pk>/renew/", views.renew, name="renew"),
    path("scan/", views.scan, name="scan"),
    # The address printed in a label's QR code; short, since the code is what matters.
    path("p/<str:code>/", views.point, name="point"),
]
