import subprocess
import sys

CHILD = """
import sys
for line in sys.stdin:
    print(line.strip()[::-1])
"""

with subprocess.Popen(
    [sys.executable, "-c", CHILD],
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
    stderr=subprocess.PIPE,
    text=True,
) as proc:
    print(f"started child pid={proc.pid}", flush=True)
    try:
        # communicate() writes, closes stdin, reads both pipes to the end, waits.
        out, err = proc.communicate("stressed\nlevel\ndrawer\n", timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()

print(f"returncode: {proc.returncode}")
for line in out.splitlines():
    print(f"  {line}")
print(f"stderr: {err!r}")
