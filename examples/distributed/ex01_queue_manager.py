import queue
import secrets
from multiprocessing import Process
from multiprocessing.managers import BaseManager

_tasks = queue.Queue()  # live in the server process; clients get proxies
_results = queue.Queue()


def get_tasks():  # module-level functions, not lambdas: spawn must pickle them
    return _tasks


def get_results():
    return _results


class MasterManager(BaseManager):
    pass


MasterManager.register("get_tasks", callable=get_tasks)
MasterManager.register("get_results", callable=get_results)


class WorkerManager(BaseManager):  # a worker only knows the names
    pass


WorkerManager.register("get_tasks")
WorkerManager.register("get_results")


def worker(address, authkey):
    manager = WorkerManager(address=address, authkey=authkey)
    manager.connect()
    tasks, results = manager.get_tasks(), manager.get_results()
    for n in iter(tasks.get, None):
        results.put((n, n * n))


if __name__ == "__main__":
    authkey = secrets.token_bytes(32)
    # Port 0: the OS picks a free port; loopback: nobody else can connect.
    with MasterManager(address=("127.0.0.1", 0), authkey=authkey) as manager:
        host, port = manager.address
        print(f"manager serving on {host}:{port}", flush=True)
        tasks, results = manager.get_tasks(), manager.get_results()
        for n in range(1, 7):
            tasks.put(n)
        tasks.put(None)  # the sentinel: one per worker
        w = Process(target=worker, args=(manager.address, authkey))
        w.start()
        done = sorted(results.get(timeout=10) for _ in range(6))
        w.join()
    for n, square in done:
        print(f"{n} squared is {square}")
    print(f"worker exitcode={w.exitcode}")
