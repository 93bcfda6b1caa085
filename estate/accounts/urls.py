from django.contrib.auth import views as auth_views
from django.urls import path

from estate.accounts import views
from estate.accounts.forms import StaffSignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=StaffSignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", views.SignOut.as_view(), name="logout"),
    path("me/", views.account, name="account"),
    path("me/password/", views.change_password, name="change_password"),
    path("me/tokens/", views.new_token, name="new_token"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("me/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
