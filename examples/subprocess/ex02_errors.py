import subprocess
import sys

FAIL = "import sys; print('disk full', file=sys.stderr); sys.exit(3)"
SLOW = "import time; time.sleep(10); print('never printed')"

try:
    subprocess.run(
        [sys.executable, "-c", FAIL],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
except subprocess.CalledProcessError as exc:
    print(f"CalledProcessError: returncode={exc.returncode}")
    print(f"  its stderr: {exc.stderr.strip()!r}")

try:
    subprocess.run([sys.executable, "-c", SLOW], capture_output=True, timeout=0.5)
except subprocess.TimeoutExpired as exc:
    # run() has already killed the child and waited for it.
    print(f"TimeoutExpired: gave up after {exc.timeout} s")

# Without check=True a failure is only a number that is easy to ignore.
quiet = subprocess.run([sys.executable, "-c", FAIL], capture_output=True, timeout=10)
print(f"no check: returncode={quiet.returncode}, no exception")
