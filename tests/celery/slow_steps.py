"""A step hook for worker tests (settings.JOB_STEP_HOOK): each step of a job takes a while,
so a test can kill the worker, or its database connection, in the middle of a job."""

import os
import time


def pause(job):
    time.sleep(float(os.environ.get("SLOW_STEP_SECONDS", "2")))
