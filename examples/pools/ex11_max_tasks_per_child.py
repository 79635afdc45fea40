import os
from concurrent.futures import ProcessPoolExecutor


def worker_pid(n):
    return os.getpid()


if __name__ == "__main__":
    # Each worker exits after one task and a fresh process replaces it.
    with ProcessPoolExecutor(max_workers=2, max_tasks_per_child=1) as executor:
        pids = list(executor.map(worker_pid, range(6)))
    for n, pid in enumerate(pids):
        print(f"task {n}: pid={pid}")
    print(f"{len(pids)} tasks, {len(set(pids))} different worker processes")
