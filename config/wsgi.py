import os

from django.core.wsgi import get_wsgi_application

# A server started without a settings module runs production settings, never DEBUG.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
