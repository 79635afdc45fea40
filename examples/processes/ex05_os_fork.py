import os
import sys

if not hasattr(os, "fork"):
    print("os.fork() does not exist on this platform; use multiprocessing")
    sys.exit(0)

print(f"parent: pid={os.getpid()}", flush=True)  # flush, or the child inherits it
pid = os.fork()
if pid == 0:
    print(f"child:  pid={os.getpid()} ppid={os.getppid()}", flush=True)
    os._exit(7)  # leave at once: the child must not run the parent's code below

_, status = os.waitpid(pid, 0)
print(f"parent: child pid={pid} exited with code {os.waitstatus_to_exitcode(status)}")
