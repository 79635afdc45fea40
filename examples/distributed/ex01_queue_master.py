import queue
import secrets
from multiprocessing.managers import BaseManager

NUMBERS = range(1, 7)
tasks, results = queue.Queue(), queue.Queue()  # they live in the server process


def get_tasks():  # module-level functions, not lambdas: spawn must pickle them
    return tasks


def get_results():
    return results


class MasterManager(BaseManager): ...


MasterManager.register("get_tasks", callable=get_tasks)
MasterManager.register("get_results", callable=get_results)


def hand_out(master, workers):
    todo = master.get_tasks()  # a proxy: each put() is a request to the server
    for item in list(NUMBERS) + [None] * workers:  # then one sentinel per worker
        todo.put(item)
    return todo


if __name__ == "__main__":
    authkey = secrets.token_bytes(32)
    # Port 0: the OS picks a free port; loopback: no other machine can connect.
    with MasterManager(address=("127.0.0.1", 0), authkey=authkey) as master:
        host, port = master.address
        print(f"master serving on {host}:{port}")
        todo = hand_out(master, workers=2)
        print(f"the master holds a proxy: {type(todo).__name__}")
        print(f"waiting in the server process: {todo.qsize()} items")
