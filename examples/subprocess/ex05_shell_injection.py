import shlex
import subprocess
import sys

LOOKUP = "import sys; print('looking up', sys.argv[1])"


def unsafe(host):
    # The shell parses the whole string: && starts a second command.
    command = f"echo looking up {host}"
    return subprocess.run(
        command, shell=True, capture_output=True, text=True, check=True, timeout=10
    ).stdout


def safe(host):
    # One list item is one argument: no shell ever reads it.
    return subprocess.run(
        [sys.executable, "-c", LOOKUP, host],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout


if __name__ == "__main__":
    host = "python.org && echo INJECTED"
    print("unsafe, shell=True:")
    for line in unsafe(host).splitlines():
        print(f"  {line.rstrip()}")
    print("safe, a list and no shell:")
    for line in safe(host).splitlines():
        print(f"  {line.rstrip()}")
    print(f"shlex.quote for a POSIX shell: {shlex.quote(host)}")
