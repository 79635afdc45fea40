"""Imported at start-up by an example run with a forced start method (see runner.py)."""

import multiprocessing
import os

_method = os.environ.get("EXAMPLE_START_METHOD")
if _method and multiprocessing.get_start_method(allow_none=True) is None:
    multiprocessing.set_start_method(_method)
