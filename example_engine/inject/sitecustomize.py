"""Imported at start-up by every Python process of an example run that asks for a forced
start method or for a trace (see runner.py): PYTHONPATH points here and children inherit it."""

import os

_trace_dir = os.environ.get("EXAMPLE_TRACE_DIR")
if _trace_dir:
    # Tracing first, so that its hooks see multiprocessing being imported below. Loaded by
    # path (the example's interpreter need not have the engine installed), preferably from
    # the bytecode the runner compiled: compiling it here would cost every process ~10 ms.
    try:
        import importlib.util
        import sys
        from importlib.machinery import SourceFileLoader, SourcelessFileLoader

        _source = os.path.join(os.path.dirname(os.path.dirname(__file__)), "trace.py")
        _compiled = os.path.join(_trace_dir, "_tracer.pyc")
        _loaders = [SourceFileLoader("_example_trace", _source)]
        if os.path.exists(_compiled):
            _loaders.insert(0, SourcelessFileLoader("_example_trace", _compiled))
        for _loader in _loaders:
            try:
                _spec = importlib.util.spec_from_loader("_example_trace", _loader)
                assert _spec is not None
                _module = importlib.util.module_from_spec(_spec)
                sys.modules["_example_trace"] = _module
                _loader.exec_module(_module)  # a bytecode file from another Python: ImportError
            except ImportError:
                continue
            _module.install()
            break
    except Exception:
        pass  # a missing trace must never change what the example does

_method = os.environ.get("EXAMPLE_START_METHOD")
if _method:
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=True) is None:
        multiprocessing.set_start_method(_method)
