import multiprocessing as mp
import os

# Module level: runs in every process that imports this file.
print(f"module body: __name__={__name__!r}", flush=True)


def work():
    print(f"work() in the child: pid={os.getpid()}", flush=True)


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=work)
    print("parent starts the child", flush=True)
    p.start()
    p.join()
    print("parent: done")
