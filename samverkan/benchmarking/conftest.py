"""The benchmarking app's tests need the app installed (`SAMVERKAN_BENCHMARK=1`).

Without it (the ordinary test run, like production) its models cannot even be
imported, so its tests are left out; `make test` runs them in a run of their own.
"""

from django.conf import settings

collect_ignore_glob = [] if settings.BENCHMARK else ["tests/*"]
