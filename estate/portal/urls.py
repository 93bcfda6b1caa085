from django.urls import path

from estate.community.views import portal_page
from estate.portal import (
    bills,
    cart,
    inbox,
    invoices,
    orders,
    signin_views,
    vacancy,
    views,
    wechat,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", signin_views.sign_in, name="sign_in"),
    path("report/", orders.report, name="report"),
    path("orders/", orders.orders, name="orders"),
    path("orders/<int:pk>/", orders.order, name="order"),
    path("orders/<int:pk>/photos/<int:photo_id>/", orders.photo, name="order_photo"),
    path("orders/<int:pk>/<str:what>/", orders.act, name="order_act"),
    path("bills/", bills.bills, name="bills"),
    path("vacancy/", vacancy.apply, name="vacancy"),
    path("messages/", inbox.inbox, name="messages"),
    path("messages/preferences/", inbox.preferences, name="message_preferences"),
    path("cart/", cart.cart, name="cart"),
    path("community/", portal_page, name="community"),
    path("wechat/", wechat.page, name="wechat"),
    path("wechat/bind/", wechat.bind, name="wechat_bind"),
    path("wechat/callback/", wechat.callback, name="wechat_callback"),
    path("wechat/unbind/", wechat.unbind, name="wechat_unbind"),
    path("bills/<int:pk>.pdf", bills.bill_pdf, name="bill_pdf"),
    path("receipts/<int:pk>.pdf", bills.receipt_pdf, name="receipt_pdf"),
    path("payments/<int:payment_id>/invoice/", invoices.request_invoice, name="request_invoice"),
    path("invoices/<int:pk>.pdf", invoices.invoice_pdf, name="invoice_pdf"),
]
