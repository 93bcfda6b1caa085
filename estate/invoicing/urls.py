from django.urls import path

from estate.invoicing import views

app_name = "invoicing"
urlpatterns = [
    path("", views.requests, name="requests"),
    path("payments/<int:payment_id>/", views.desk_request, name="desk_request"),
    path("<int:pk>.pdf", views.invoice_pdf, name="invoice_pdf"),
]
