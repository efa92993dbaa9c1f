from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    # The public feedback form: first, as the service's busiest pages
    path("f/<str:token>/", views.feedback_form, name="feedback_form"),
    path("f/<str:token>/thank-you/", views.feedback_thanks, name="feedback_thanks"),
    # Measures
    path("always-events/<int:pk>/measures/", views.measure_list, name="measure_list"),
    path("always-events/<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/data/new/", views.data_point_create, name="data_point_create"),
    path("measures/<int:pk>/data/upload/", views.data_point_upload, name="data_point_upload"),
    path(
        "measures/<int:pk>/data/<int:point_pk>/delete/", views.data_point_delete,
        name="data_point_delete",
    ),
    # Feedback forms
    path("always-events/<int:pk>/forms/", views.form_list, name="form_list"),
    path("always-events/<int:pk>/forms/new/", views.form_create, name="form_create"),
    path("forms/<int:pk>/", views.form_detail, name="form_detail"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form_edit"),
    path("forms/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path(
        "forms/<int:pk>/questions/<int:position>/edit/", views.question_edit,
        name="question_edit",
    ),
    path(
        "forms/<int:pk>/questions/<int:position>/remove/", views.question_delete,
        name="question_delete",
    ),
    path(
        "forms/<int:pk>/questions/<int:position>/move/", views.question_move,
        name="question_move",
    ),
    path("forms/<int:pk>/translations/new/", views.translation_edit, name="translation_create"),
    path(
        "forms/<int:pk>/translations/<str:language>/", views.translation_edit,
        name="translation_edit",
    ),
    path(
        "forms/<int:pk>/translations/<str:language>/delete/", views.translation_delete,
        name="translation_delete",
    ),
    # Distribution points
    path(
        "always-events/<int:pk>/distribution-points/", views.distribution_point_list,
        name="distribution_point_list",
    ),
    path(
        "forms/<int:pk>/distribution-points/new/", views.distribution_point_create,
        name="distribution_point_create",
    ),
    path(
        "distribution-points/<int:pk>/", views.distribution_point_detail,
        name="distribution_point_detail",
    ),
    path(
        "distribution-points/<int:pk>/retire/", views.distribution_point_retire,
        name="distribution_point_retire",
    ),
    path(
        "distribution-points/<int:pk>/qr.<str:image_format>", views.distribution_point_qr,
        name="distribution_point_qr",
    ),
    path(
        "distribution-points/<int:pk>/poster.pdf", views.distribution_point_poster,
        name="distribution_point_poster",
    ),
    # Imports of paper and other systems' responses
    path("always-events/<int:pk>/imports/", views.import_list, name="import_list"),
    path("forms/<int:pk>/imports/template.csv", views.import_template, name="import_template"),
    path("forms/<int:pk>/imports/new/", views.import_create, name="import_create"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
]
