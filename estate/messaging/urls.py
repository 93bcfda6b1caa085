from django.urls import path

from estate.messaging import hooks

app_name = "hooks"
urlpatterns = [
    path("wechat/<str:app_id>/", hooks.wechat_push, name="wechat"),
    path("email/inbound/", hooks.email_in, name="email_inbound"),
]
