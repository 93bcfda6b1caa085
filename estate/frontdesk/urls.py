from django.urls import path

from estate.frontdesk import cart_views, roster_views, views

app_name = "frontdesk"
urlpatterns = [
    path("", views.console, name="console"),
    path("lookup/", views.lookup, name="lookup"),
    path("contacts/", views.contacts, name="contacts"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/handout/", views.handout, name="handout"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/confirm/", views.confirm_referral, name="confirm_referral"),
    path("cart/", cart_views.cart_page, name="cart"),
    path("roster/", roster_views.roster_page, name="roster"),
]
