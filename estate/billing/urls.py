from django.urls import path

from estate.billing import rule_views, views

app_name = "billing"
urlpatterns = [
    path("", views.home, name="home"),
    path("run/", views.run, name="run"),
    path("term/", views.term, name="term"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/deliver/", views.deliver, name="deliver"),
    path("runs/<int:pk>/buildings/<int:building_id>.pdf", views.building_pdf, name="building_pdf"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("statements/<int:pk>.pdf", views.statement_pdf, name="statement_pdf"),
    path("receipts/<int:pk>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("arrears/", views.arrears_page, name="arrears"),
    path("export/<str:what>.xlsx", views.export, name="export"),
    path("readings/", views.readings, name="readings"),
    path("remarks/", views.remarks, name="remarks"),
    path("reversals/", views.reversals, name="reversals"),
    path("late-fees/", rule_views.late_fees, name="late_fees"),
    path("lines/<int:pk>/waive/", rule_views.waive, name="waive"),
    path("vacancies/", rule_views.vacancies, name="vacancies"),
    path("deposits/", rule_views.deposit_list, name="deposits"),
]
