"""The product's URLs plus the bare view the submission-throughput figure divides by."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from always_events.urls import handler403, handler404, handler500
from always_events.urls import urlpatterns as product

BARE_TABLE = "bench_bare_row"


@csrf_exempt
def insert_one(request):
    """A bare Django view: one INSERT of one row, through the same middleware."""
    if request.method != "POST":
        return HttpResponse(status=405)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} DEFAULT VALUES")
    return HttpResponse("stored", content_type="text/plain")


urlpatterns = [path("bench/insert-one/", insert_one, name="bench_insert_one"), *product]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
