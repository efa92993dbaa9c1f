from django.urls import path

from . import views

app_name = "coproduction"

TEAM = "always-events/<int:pk>/team/"

urlpatterns = [
    path("coproduction/", views.overview, name="overview"),
    path("coproduction/training/", views.training, name="training"),
    path("coproduction/training/add/", views.training_add, name="training_add"),
    path("coproduction/themes/", views.themes, name="themes"),
    path("coproduction/themes/<int:theme_pk>/", views.theme_edit, name="theme_edit"),
    path("coproduction/personal-details-log/", views.details_log, name="details_log"),
    path(TEAM, views.team, name="team"),
    path(TEAM + "add-staff/", views.staff_add, name="staff_add"),
    path(TEAM + "add-partner/", views.partner_add, name="partner_add"),
    path(TEAM + "members/<int:member_pk>/", views.member_detail, name="member"),
    path(TEAM + "members/<int:member_pk>/edit/", views.member_edit, name="member_edit"),
    path(TEAM + "members/<int:member_pk>/payments/add/", views.payment_add, name="payment_add"),
    path(TEAM + "members/<int:member_pk>/everything-we-hold/", views.member_export,
         name="member_export"),
    path(TEAM + "members/<int:member_pk>/team-link/", views.team_link_create,
         name="team_link_create"),
    path(TEAM + "sessions/", views.sessions, name="sessions"),
    path(TEAM + "sessions/add/", views.session_add, name="session_add"),
    path(TEAM + "sessions/<int:session_pk>/", views.session_detail, name="session"),
    path(TEAM + "sessions/<int:session_pk>/attendance/", views.attendance, name="attendance"),
    path(TEAM + "sessions/<int:session_pk>/notes/", views.session_notes, name="session_notes"),
    path(TEAM + "engagements/", views.engagements, name="engagements"),
    path(TEAM + "engagements/add/", views.engagement_add, name="engagement_add"),
    path(TEAM + "engagements/<int:engagement_pk>/", views.engagement_detail, name="engagement"),
    path(TEAM + "engagements/<int:engagement_pk>/quotes/add/", views.quote_add,
         name="quote_add"),
    path(TEAM + "ladder/", views.ladder, name="ladder"),
    path(TEAM + "ladder/add/", views.ladder_add, name="ladder_add"),
    path(TEAM + "check-ins/", views.check_ins, name="check_ins"),
    path(TEAM + "check-ins/links/", views.check_in_links_create, name="check_in_links_create"),
    # Public: no account needed; the private token is the key.
    path("check-in/thank-you/", views.check_in_thanks, name="check_in_thanks"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("team/<str:token>/", views.team_page, name="team_page"),
]

PUBLIC_URL_NAMES = frozenset({"check_in_thanks", "check_in", "team_page"})
