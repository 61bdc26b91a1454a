from django.urls import path, re_path

from .views import campaigns, hooks, targets, templates

app_name = "outreach"
urlpatterns = [
    path("", campaigns.index, name="index"),
    path("campaigns/new/", campaigns.campaign_form, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_form, name="campaign_edit"),
    path("campaigns/<int:pk>/import/", campaigns.campaign_import, name="campaign_import"),
    path("campaigns/<int:pk>/register/", campaigns.campaign_register, name="campaign_register"),
    path("campaigns/<int:pk>/reserve/", campaigns.campaign_reserve, name="campaign_reserve"),
    path("campaigns/<int:pk>/export.csv", campaigns.campaign_export, name="campaign_export"),
    path("mine/", targets.worklist, name="worklist"),
    path("targets/<int:pk>/", targets.target_detail, name="target"),
    path("targets/<int:pk>/attempt/", targets.target_attempt, name="target_attempt"),
    path("targets/<int:pk>/message/", targets.target_message, name="target_message"),
    path("targets/<int:pk>/consent/", targets.target_consent, name="target_consent"),
    path("targets/<int:pk>/do-not-contact/", targets.target_do_not_contact, name="target_dnc"),
    path("targets/<int:pk>/dossier/", targets.target_link, name="target_link"),
    path("templates/", templates.message_templates, name="templates"),
    path("templates/<int:pk>/", templates.message_templates, name="template"),
    re_path(r"^hooks/(?P<channel>sms|zalo)/$", hooks.hook, name="hook"),
]
