from django.urls import path

from .views import coordinate, mine

app_name = "volunteers"
urlpatterns = [
    path("", coordinate.index, name="index"),
    path("templates/", coordinate.templates, name="templates"),
    path("report/", coordinate.report, name="report"),
    path("people/<int:pk>/certificate.pdf", coordinate.certificate, name="certificate"),
    path("generate/", coordinate.generate, name="generate"),
    path("roster/", coordinate.roster, name="roster"),
    path("publish/", coordinate.publish, name="publish"),
    path("shifts/<int:pk>/", coordinate.shift_detail, name="shift"),
    path("shifts/<int:pk>/book/", coordinate.shift_book, name="shift_book"),
    path("bookings/<int:pk>/<str:action>/", coordinate.booking_action, name="booking_action"),
    path("requests/<int:pk>/decide/", coordinate.decide, name="decide"),
    path("mine/", mine.mine, name="mine"),
    path("mine/shifts/<int:pk>/sign-up/", mine.sign_up, name="sign_up"),
    path("mine/bookings/<int:pk>/answer/", mine.answer, name="answer"),
    path("mine/bookings/<int:pk>/drop/", mine.drop, name="drop"),
    path("mine/bookings/<int:pk>/swap/", mine.swap, name="swap"),
    path("mine/help/", mine.log_help, name="help"),
    path("mine/reminders/", mine.reminder_settings, name="reminder_settings"),
    path("answer/<str:signed>/", mine.answer_link, name="answer_link"),
    path("checkin/<int:pk>/<str:token>/", mine.checkin, name="checkin"),
]
