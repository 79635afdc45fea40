import logging
import multiprocessing
import os

import dask
from dask.distributed import Client, LocalCluster


def square(n):
    return n * n, os.getpid()


NUMBERS = range(1, 7)


if __name__ == "__main__":
    # Fork the workers from a server that imports Dask once, rather than spawn them
    # (Dask's default): each spawned worker would import Dask all over again.
    if "forkserver" in multiprocessing.get_all_start_methods():  # not on Windows
        dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",  # any free port, loopback only
            # Quiet: start-up logs name addresses and ports, and a worker's heartbeat
            # that races the shutdown logs an error; a failed task raises in gather().
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        print(f"workers: {len(client.scheduler_info()['workers'])}")
        futures = client.map(square, NUMBERS)
        results = client.gather(futures)  # in the order of the inputs
    for n, (result, _) in zip(NUMBERS, results, strict=True):
        print(f"{n} squared is {result}")
    elsewhere = all(pid != os.getpid() for _, pid in results)
    print(f"all computed outside this process: {elsewhere}")
    print("cluster and client closed")
