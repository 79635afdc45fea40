import sys
import sysconfig

# Py_GIL_DISABLED is 1 only on a free-threaded build (3.13t, 3.14t).
free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
# sys._is_gil_enabled() exists since 3.13; before that the GIL is always on.
gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)()

print(f"free-threaded build: {free_threaded}")
print(f"GIL enabled: {gil_enabled}")
print(f"switch interval: {sys.getswitchinterval()} seconds")

sys.setswitchinterval(0.001)
print(f"after setswitchinterval(0.001): {sys.getswitchinterval()} seconds")
