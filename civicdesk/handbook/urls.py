from django.urls import path, register_converter

from . import views, views_edit


class KindConverter:
    """URL segment ↔ record kind: procedures ↔ procedure, guides ↔ guide, faqs ↔ faq."""

    regex = "procedures|guides|faqs"

    def to_python(self, value):
        return value[:-1]

    def to_url(self, value):
        return f"{value}s"


class ActionConverter:
    regex = "submit|publish|return|archive|verify"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "kind")
register_converter(ActionConverter, "action")

app_name = "handbook"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    # "new" before the detail pages, so that /procedures/new/ is the form and not a procedure coded "new".
    path("<kind:kind>/new/", views_edit.edit, name="create"),
    path("procedures/", views.procedure_list, name="procedures"),
    path("procedures/<str:code>/", views.procedure_detail, name="procedure"),
    path("procedures/<str:code>/print/", views.procedure_print, name="procedure_print"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
    path("faqs/", views.faq_list, name="faqs"),
    path("faqs/<slug:slug>/", views.faq_detail, name="faq"),
    path("queue/", views_edit.queue, name="queue"),
    path("import/", views_edit.import_view, name="import"),
    path("export/", views_edit.export_view, name="export"),
    path("<kind:kind>/<str:key>/edit/", views_edit.edit, name="edit"),
    path("<kind:kind>/<str:key>/history/", views_edit.history, name="history"),
    path("<kind:kind>/<str:key>/history/<int:number>/", views_edit.revision, name="revision"),
    path("<kind:kind>/<str:key>/history/<int:number>/restore/", views_edit.restore, name="restore"),
    path("<kind:kind>/<str:key>/<action:action>/", views_edit.transition, name="transition"),
]
