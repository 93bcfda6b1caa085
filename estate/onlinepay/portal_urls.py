"""The resident's payment pages, under /portal/pay/."""

from django.urls import path

from estate.onlinepay import portal_views

app_name = "portal_pay"
urlpatterns = [
    path("bills/<int:pk>/<str:provider>/", portal_views.start, name="start"),
    path("<str:number>/", portal_views.page, name="page"),
    path("<str:number>/status/", portal_views.status, name="status"),
]
