import secrets
from multiprocessing import Process
from multiprocessing.managers import BaseManager

from ex01_queue_master import NUMBERS, MasterManager, hand_out  # for the demo below


class WorkerManager(BaseManager): ...  # a worker knows the names, not the queues


WorkerManager.register("get_tasks")
WorkerManager.register("get_results")


def work(address, authkey):
    manager = WorkerManager(address=address, authkey=authkey)
    manager.connect()
    tasks, results = manager.get_tasks(), manager.get_results()
    for n in iter(tasks.get, None):
        results.put((n, n * n))


if __name__ == "__main__":
    # On one machine: start the master of ex01, then two workers that connect to it.
    authkey = secrets.token_bytes(32)
    with MasterManager(address=("127.0.0.1", 0), authkey=authkey) as master:
        hand_out(master, workers=2)
        args = (master.address, authkey)  # all that a worker needs to know
        workers = [Process(target=work, args=args) for _ in range(2)]
        for w in workers:
            w.start()
        results = master.get_results()
        done = sorted(results.get(timeout=10) for _ in NUMBERS)
        for w in workers:
            w.join()
    for n, square in done:
        print(f"{n} squared is {square}")
    print(f"worker exit codes: {[w.exitcode for w in workers]}")
