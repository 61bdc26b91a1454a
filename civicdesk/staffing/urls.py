from django.urls import path

from . import views

app_name = "staffing"
urlpatterns = [
    path("", views.index, name="index"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps/weights/", views.weights_edit, name="weights"),
    path("gaps/<int:code>/", views.commune_capacity, name="commune_capacity"),
    path("capacity/<int:code>/<str:field>/", views.capacity_save, name="capacity_save"),
    path("capacity/<int:code>/<str:field>/override/", views.capacity_override, name="capacity_override"),
    path("capacity/import/", views.capacity_import, name="capacity_import"),
    path("capacity/export.csv", views.capacity_export, name="capacity_export"),
    path("capacity/refresh/", views.capacity_refresh, name="capacity_refresh"),
    path("needs/", views.needs, name="needs"),
    path("needs/save/", views.need_save, name="need_save"),
    path("needs/generate/", views.needs_generate, name="needs_generate"),
    path("needs/import/", views.needs_import, name="needs_import"),
    path("needs/export.csv", views.needs_export, name="needs_export"),
    path("pool/", views.pool, name="pool"),
    path("pool/new/", views.staff_edit, name="staff_new"),
    path("pool/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("pool/import/", views.staff_import, name="staff_import"),
    path("pool/quotas/", views.quota_save, name="quota_save"),
    path("pool/quotas/import/", views.quotas_import, name="quotas_import"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/compare/", views.plan_compare, name="plan_compare"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_update, name="plan_update"),
    path("plans/<int:pk>/run/", views.plan_run, name="plan_run"),
    path("plans/<int:pk>/reset/", views.plan_reset, name="plan_reset"),
    path("plans/<int:pk>/locks/", views.plan_lock_add, name="plan_lock_add"),
    path("plans/<int:pk>/locks/<int:lock_id>/delete/", views.plan_lock_delete, name="plan_lock_delete"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan_copy"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path(
        "plans/<int:pk>/assignments/<int:assignment_id>/", views.assignment_explain, name="assignment_explain"
    ),
    path("plans/<int:pk>/export.csv", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/decision.docx", views.plan_decision, name="plan_decision"),
    path("secondments/", views.secondment_list, name="secondment_list"),
    path("secondments/<int:pk>/", views.secondment_detail, name="secondment_detail"),
    path("secondments/<int:pk>/reports/", views.report_submit, name="report_submit"),
    path("secondments/<int:pk>/assessment/", views.assessment_submit, name="assessment_submit"),
    path("secondments/<int:pk>/transition/", views.secondment_transition, name="secondment_transition"),
    path("secondments/<int:pk>/decision.docx", views.secondment_decision, name="secondment_decision"),
]
