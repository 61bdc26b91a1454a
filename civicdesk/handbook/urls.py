from django.urls import path, register_converter

from .views import edit, legal, national, reader, review, translations


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


class TranslationActionConverter:
    regex = "edit|verify|delete"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "kind")
register_converter(ActionConverter, "action")
register_converter(TranslationActionConverter, "translation_action")

app_name = "handbook"
urlpatterns = [
    path("", reader.index, name="index"),
    path("search/", reader.search, name="search"),
    # "new" before the detail pages, so that /procedures/new/ is the form and not a procedure coded "new".
    path("<kind:kind>/new/", edit.edit, name="create"),
    path("procedures/", reader.procedure_list, name="procedures"),
    path("procedures/<str:code>/", reader.procedure_detail, name="procedure"),
    path("procedures/<str:code>/print/", reader.procedure_print, name="procedure_print"),
    path("guides/", reader.guide_list, name="guides"),
    path("guides/<slug:slug>/", reader.guide_detail, name="guide"),
    path("faqs/", reader.faq_list, name="faqs"),
    path("faqs/<slug:slug>/", reader.faq_detail, name="faq"),
    path("queue/", edit.queue, name="queue"),
    path("import/", edit.import_view, name="import"),
    path("export/", edit.export_view, name="export"),
    path("national-codes/", national.upload, name="national_upload"),
    path("national-codes/missing/", national.missing, name="national_missing"),
    path("national-codes/<int:pk>/", national.national_list, name="national_list"),
    path("review/", review.queue, name="review"),
    path("review/<kind:kind>/<str:key>/", review.record_review, name="review_record"),
    path("legal-texts/", legal.text_list, name="legal_texts"),
    path("legal-texts/build/", legal.build, name="legal_texts_build"),
    path("legal-texts/new/", legal.edit, name="legal_text_create"),
    path("legal-texts/<int:pk>/", legal.detail, name="legal_text"),
    path("legal-texts/<int:pk>/edit/", legal.edit, name="legal_text_edit"),
    path("legal-texts/<int:pk>/supersede/", legal.supersede, name="legal_text_supersede"),
    path("legal-texts/<int:pk>/reinstate/", legal.reinstate, name="legal_text_reinstate"),
    path("legal-texts/<int:pk>/confirm/", legal.confirm, name="legal_text_confirm"),
    path("<kind:kind>/<str:key>/edit/", edit.edit, name="edit"),
    path("<kind:kind>/<str:key>/history/", edit.history, name="history"),
    path("<kind:kind>/<str:key>/history/<int:number>/", edit.revision, name="revision"),
    path("<kind:kind>/<str:key>/history/<int:number>/restore/", edit.restore, name="restore"),
    path("<kind:kind>/<str:key>/<action:action>/", edit.transition, name="transition"),
    path("<kind:kind>/<str:key>/translations/", translations.add, name="translation_add"),
    path(
        "<kind:kind>/<str:key>/translations/<int:pk>/<translation_action:action>/",
        translations.act,
        name="translation",
    ),
]
