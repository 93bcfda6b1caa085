from django.urls import path

from estate.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_edit, name="new"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
