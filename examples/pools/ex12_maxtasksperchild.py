import os
from multiprocessing import Pool


def worker_pid(n):
    return os.getpid()


if __name__ == "__main__":
    # One worker, replaced after every 2 tasks (a chunk of map() counts as one task).
    with Pool(processes=1, maxtasksperchild=2) as pool:
        pids = pool.map(worker_pid, range(6), chunksize=1)
    for n, pid in enumerate(pids):
        print(f"task {n}: pid={pid}")

    runs = [pids[i : i + 2] for i in range(0, len(pids), 2)]
    print(f"each worker ran 2 tasks: {all(len(set(run)) == 1 for run in runs)}")
    print(f"{len(pids)} tasks, {len(set(pids))} different worker processes")
