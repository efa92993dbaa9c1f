"""A clear "try again" page (503) when PostgreSQL cannot be reached.

While the database restarts or fails over, a request meets a connection error. A
feedback answer that met one was not stored, so the person must be told to try again,
never thanked. The page is rendered without a request context, so showing it needs no
database (no session, no user, no organisation).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


def try_again_response() -> HttpResponse:
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view into the 503 "try again" page.

    Errors raised outside views (another middleware, a template) reach the 500 handler,
    which asks `is_database_unavailable` and answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        log.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return try_again_response()
