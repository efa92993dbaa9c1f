"""The product's settings with the benchmark's URLs added (`bench.urls`).

Only the submission-throughput benchmark serves this module, so its bare one-row view
runs in exactly the same deployment (middleware, database connections, gunicorn
workers) as the patient flow it is compared with, and never in the product's URLs.
"""

from always_events.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
