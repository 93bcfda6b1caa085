"""Staff reconciliation and the providers' notification addresses, under /pay/."""

from django.urls import path

from estate.onlinepay import hooks, views

app_name = "onlinepay"
urlpatterns = [
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("hooks/wechat/<int:merchant_id>/", hooks.wechat_notify, name="wechat_notify"),
    path("hooks/alipay/<int:merchant_id>/", hooks.alipay_notify, name="alipay_notify"),
]
