import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "always_events.settings")
os.environ.setdefault("ALWAYS_EVENTS_SERVING", "1")  # settings then insist on SECRET_KEY

application = get_wsgi_application()
