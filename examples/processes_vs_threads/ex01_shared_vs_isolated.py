import multiprocessing as mp
import threading

results = []


def work(who):
    results.append(who)
    print(f"{who}: sees {results}", flush=True)


if __name__ == "__main__":
    # A child process works on its own copy of the module's memory.
    p = mp.Process(target=work, args=("process",))
    p.start()
    p.join()
    print(f"parent after process: {results}", flush=True)

    # A thread runs inside this process: it appends to the very same list.
    t = threading.Thread(target=work, args=("thread",))
    t.start()
    t.join()
    print(f"parent after thread: {results}")
    print(f"child exit code: {p.exitcode}")
