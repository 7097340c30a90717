from django.urls import path

from .views import booking
from .views import board, centres, detainees
from .views import lockouts, violations
from .views import waitlist

app_name = "visits"

urlpatterns = [
    path("book/", booking.book, name="book"),
    path("bookings/", booking.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", booking.cancel, name="cancel"),
    path("review/", booking.review_queue, name="review_queue"),
    path("review/<int:booking_id>/approve/", booking.approve, name="approve"),
    path("review/<int:booking_id>/reject/", booking.reject, name="reject"),
    path("violations/", violations.violations, name="violations"),
    path("violations/<int:violation_id>/appeal/", violations.appeal, name="violation_appeal"),
    path("appeals/", lockouts.appeals, name="appeals"),
    path("appeals/<int:appeal_id>/decide/", lockouts.appeal_decide, name="appeal_decide"),
    path("locks/", lockouts.locks, name="locks"),
    path("locks/<int:lock_id>/lift/", lockouts.lock_lift, name="lock_lift"),
    # centres' rooms and patterns, detainees and cases, the day board, the authority's centres
    path("centres/", centres.centre_list, name="centres"),
    path("centres/mine/", centres.my_centre, name="my_centre"),
    path("centres/<int:centre_id>/settings/", centres.centre_settings, name="centre_settings"),
    path("centres/<int:centre_id>/rooms/add/", centres.room_create, name="room_create"),
    path("rooms/<int:room_id>/", centres.room_update, name="room_update"),
    path("centres/<int:centre_id>/extra-sessions/add/", centres.extra_session_create, name="extra_session_create"),
    path("extra-sessions/<int:session_id>/delete/", centres.extra_session_delete, name="extra_session_delete"),
    path("detainees/", detainees.detainee_list, name="detainees"),
    path("detainees/<int:detainee_id>/", detainees.detainee_detail, name="detainee_detail"),
    path("detainees/<int:detainee_id>/leave/", detainees.detainee_leave, name="detainee_leave"),
    path("cases/", detainees.case_list, name="cases"),
    path("cases/<int:case_id>/", detainees.case_detail, name="case_detail"),
    path("board/", board.board, name="board"),
    path("board/<int:booking_id>/check-in/", board.board_check_in, name="board_check_in"),
    # the waitlist
    path("waitlist/", waitlist.my_waitlist, name="waitlist"),
    path("waitlist/join/", waitlist.waitlist_join, name="waitlist_join"),
    path("waitlist/<int:entry_id>/accept/", waitlist.waitlist_accept, name="waitlist_accept"),
    path("waitlist/<int:entry_id>/leave/", waitlist.waitlist_leave, name="waitlist_leave"),
]
