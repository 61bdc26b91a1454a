"""Public (citizen) pages of the service desk, mounted at /tra-cuu/ (short URLs for QR codes)."""

from django.urls import path

from .views import public

app_name = "servicedesk_public"
urlpatterns = [
    path("", public.lookup, name="lookup"),
    path("ho-so/<str:code>/<str:token>/", public.status, name="status"),
    path("danh-gia/xa/<int:commune_code>/", public.centre_survey, name="centre_survey"),
    path("danh-gia/<str:code>/<str:token>/", public.survey, name="survey"),
    path("cam-on/", public.thanks, name="thanks"),
]
