import subprocess
import sys

# The child is another Python: it exists wherever this example runs.
result = subprocess.run(
    [sys.executable, "-c", "print('hello from the child')"],
    capture_output=True,
    text=True,
    check=True,
    timeout=10,
)
print(f"returncode: {result.returncode}")
print(f"stdout: {result.stdout!r}")
print(f"stderr: {result.stderr!r}")

# input= is written to the child's stdin, which is then closed.
upper = subprocess.run(
    [sys.executable, "-c", "import sys; print(sys.stdin.read().upper(), end='')"],
    input="fed through stdin\n",
    capture_output=True,
    text=True,
    check=True,
    timeout=10,
)
print(f"with input=: {upper.stdout!r}")
