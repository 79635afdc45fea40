import os
from multiprocessing import Process


def run_proc(name):
    print(f"child {name!r}: pid={os.getpid()} ppid={os.getppid()}")


if __name__ == "__main__":
    print(f"parent: pid={os.getpid()}", flush=True)
    p = Process(target=run_proc, args=("test",))
    print("child process will start", flush=True)
    p.start()
    p.join()
    print("child process ended")
