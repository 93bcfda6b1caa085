"""The REST API, version 1: one router for every app's viewsets."""

from rest_framework.routers import DefaultRouter

from estate.properties import api as properties_api

router = DefaultRouter()
properties_api.register(router)

urlpatterns = router.urls
