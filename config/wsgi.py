"""The WSGI application that gunicorn serves (runserver and in-process tests load it too)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Debug pages show settings and code to anyone who reaches the server. gunicorn names itself in
# SERVER_SOFTWARE before it loads the application.
if settings.DEBUG and os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/"):
    raise ImproperlyConfigured(
        "DEBUG is on: set DEBUG=false (and SECRET_KEY) to serve with gunicorn; "
        "`make run` is the development server."
    )

application = get_wsgi_application()
