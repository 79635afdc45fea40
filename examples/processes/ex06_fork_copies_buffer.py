import os
import sys

if not hasattr(os, "fork"):
    print("os.fork() does not exist on this platform; use multiprocessing")
    sys.exit(0)


def fork_and_wait(out, label):
    pid = os.fork()
    if pid == 0:
        out.write(f"  child after {label}\n")
        out.flush()  # writes the child's copy of the buffer, the parent's text included
        os._exit(0)
    os.waitpid(pid, 0)
    out.write(f"  parent after {label}\n")
    out.flush()


if __name__ == "__main__":
    # Our own block-buffered stream on stdout: a pipe, a file and a terminal alike.
    with open(sys.stdout.fileno(), "w", buffering=8192, closefd=False) as out:
        out.write("written, not flushed\n")
        fork_and_wait(out, "fork 1")

        out.write("written and flushed\n")
        out.flush()
        fork_and_wait(out, "fork 2")
