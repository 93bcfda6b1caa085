"""The REST API, version 1: one router for every app's viewsets."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from estate.accounts import api as accounts_api
from estate.billing import api as billing_api
from estate.frontdesk import api as frontdesk_api
from estate.knowledge import api as knowledge_api
from estate.language import api as language_api
from estate.portal import api as portal_api
from estate.properties import api as properties_api
from estate.reports import api as reports_api
from estate.timerules import api as timerules_api
from estate.visits import api as visits_api
from estate.workorders import api as workorders_api

router = DefaultRouter()
properties_api.register(router)
frontdesk_api.register(router)
workorders_api.register(router)
timerules_api.register(router)
visits_api.register(router)
knowledge_api.register(router)
billing_api.register(router)
portal_api.register(router)

urlpatterns = [
    path("auth/token/", accounts_api.obtain_token, name="api-token"),
    path("auth/tokens/", accounts_api.my_tokens, name="api-tokens"),
    path("auth/tokens/<int:pk>/revoke/", accounts_api.revoke_token, name="api-token-revoke"),
    path("telephony/calls/", frontdesk_api.report_call, name="api-telephony-call"),
    path("telephony/ring-rate/", frontdesk_api.ring_rate, name="api-ring-rate"),
    path("visit-measures/", visits_api.month_measures, name="api-visit-measures"),
    path("language/check/", language_api.check, name="api-language-check"),
    path("collection/", billing_api.collection_rate, name="api-collection"),
    path("arrears/", billing_api.arrears_list, name="api-arrears"),
    path("figures/", reports_api.figures, name="api-figures"),
    *router.urls,
]
