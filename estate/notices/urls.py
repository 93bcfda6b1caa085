from django.urls import path

from estate.notices import interruption_views, views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/notice.pdf", views.pdf, name="pdf"),
    path("interruptions/", interruption_views.interruption_list, name="interruptions"),
    path("interruptions/new/", interruption_views.new_interruption, name="interruption_new"),
    path("interruptions/<int:pk>/", interruption_views.edit_interruption, name="interruption_edit"),
    path(
        "interruptions/<int:pk>/cancel/",
        interruption_views.cancel_interruption,
        name="interruption_cancel",
    ),
    path(
        "interruptions/<int:pk>/notice.pdf",
        interruption_views.interruption_notice,
        name="interruption_pdf",
    ),
]
