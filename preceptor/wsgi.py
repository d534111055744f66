import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")
application = get_wsgi_application()

# What a web process has loaded by now (Django, the apps and their modules, the URL
# patterns, ~140,000 objects) lives as long as the process. Python's full garbage
# collection walks every object it tracks: ~0.1 s with these in it, paid by whichever
# request happened to trigger it (docs/speed.md). Frozen, they are never walked again;
# what requests allocate is collected as before.
get_resolver()._populate()  # the URL patterns and reverse lookups, built now
gc.freeze()
