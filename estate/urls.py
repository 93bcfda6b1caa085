from typing import Any

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from estate.core import pwa
from estate.core import views as core_views
from estate.core.health import healthz
from estate.visits.questionnaire_views import answer_by_link

DOCS_CSP: dict[str, Any] = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="web_manifest"),
    path("", include("estate.core.urls")),
    path("accounts/", include("estate.accounts.urls")),
    path("registry/", include("estate.properties.urls")),
    path("orders/", include("estate.workorders.urls")),
    path("equipment/", include("estate.equipment.urls")),
    path("planned/", include("estate.planned.urls")),
    path("clocks/", include("estate.timerules.urls")),
    path("emergencies/", include("estate.emergencies.urls")),
    path("patrols/", include("estate.patrols.urls")),
    path("visits/", include("estate.visits.urls")),
    path("notices/", include("estate.notices.urls")),
    path("language/", include("estate.language.urls")),
    path("knowledge/", include("estate.knowledge.urls")),
    path("billing/invoices/", include("estate.invoicing.urls")),
    path("billing/dunning/", include("estate.dunning.urls")),
    path("billing/", include("estate.billing.urls")),
    path("community/", include("estate.community.urls")),
    path("reports/", include("estate.reports.urls")),
    path("desk/", include("estate.frontdesk.urls")),
    path("notifications/", include("estate.notifications.urls")),
    path("messages/", include("estate.messaging.urls")),
    path("portal/pay/", include("estate.onlinepay.portal_urls")),
    path("portal/", include("estate.portal.urls")),
    # Staff reconciliation; the payment providers' notifications (checked by their signatures).
    path("pay/", include("estate.onlinepay.urls")),
    # Called by SMS providers, WeChat and the mail provider: checked by signature or secret.
    path("hooks/", include("estate.messaging.hook_urls")),
    path("opinion/<str:token>/", answer_by_link, name="answer_questionnaire"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("estate.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The API docs page (Swagger UI) starts itself with an inline script: its own, looser policy.
    path(
        "api/docs/",
        csp_override(DOCS_CSP)(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

handler400 = "estate.core.refusals.bad_request"
handler403 = "estate.core.refusals.permission_denied"
