from django.urls import path

from . import views
from .views import counter, dashboard, dossiers, imports, scorecard

app_name = "servicedesk"
urlpatterns = [
    path("", views.index, name="index"),
    path("receive/", counter.receive, name="receive"),
    path("checks/<int:pk>/", counter.intake_check, name="intake_check"),
    path("dossiers/", dossiers.dossier_list, name="dossiers"),
    path("dossiers/<str:code>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<str:code>/receipt/", dossiers.receipt, name="receipt"),
    path("dossiers/<str:code>/apology/", dossiers.apology, name="apology"),
    path("dossiers/<str:code>/supplement/<int:event_id>/", dossiers.supplement, name="supplement"),
    path("dossiers/<str:code>/actions/<slug:action>/", dossiers.dossier_action, name="action"),
    path("dossiers/<str:code>/language/", dossiers.dossier_language, name="language"),
    path("dossiers/<str:code>/digitisation/", dossiers.dossier_digitisation, name="digitisation"),
    path("counter-qr/", dossiers.centre_qr, name="centre_qr"),
    path("kpi/", dashboard.dashboard, name="dashboard"),
    path("kpi/communes/<int:code>/", dashboard.commune_kpi, name="commune_kpi"),
    path("kpi/export.<str:fmt>", dashboard.export, name="export"),
    path("scorecard/", scorecard.scorecard_page, name="scorecard"),
    path("scorecard/communes/<int:code>/", scorecard.commune_scorecard, name="commune_scorecard"),
    path("scorecard/export.pdf", scorecard.scorecard_pdf, name="scorecard_pdf"),
    path(
        "scorecard/communes/<int:code>/export.pdf",
        scorecard.commune_scorecard_pdf,
        name="commune_scorecard_pdf",
    ),
    path("scorecard/targets/", scorecard.save_targets, name="scorecard_targets"),
    path("import/", imports.import_page, name="import"),
]
