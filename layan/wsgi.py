import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
application = get_wsgi_application()
# Everything loaded so far lives as long as the worker: move it out of the cyclic
# collector's view so its full collections stop rescanning it on every request.
gc.freeze()
