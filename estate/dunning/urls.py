from django.urls import path

from estate.dunning import views

app_name = "dunning"
urlpatterns = [
    path("households/<int:pk>/", views.household, name="household"),
    path("demands/<int:pk>.pdf", views.demand_pdf, name="demand_pdf"),
    path("demands/<int:pk>/proof/", views.demand_proof, name="demand_proof"),
]
