import subprocess
import sys
import time

CHILD = """
import time
for step in range(1, 4):
    print(f"step {step} done", flush=True)
    time.sleep(0.2)
"""

start = time.perf_counter()
with subprocess.Popen(
    [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True
) as proc:
    # Each line arrives as soon as the child flushes it, not at the end.
    for line in proc.stdout:
        elapsed = time.perf_counter() - start
        print(f"got {line.strip()!r} after {elapsed:.1f} s", flush=True)
print(f"returncode: {proc.returncode}")
