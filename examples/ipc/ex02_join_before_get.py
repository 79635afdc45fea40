from multiprocessing import Process, Queue

SIZE = 1_000_000  # far more than an OS pipe buffer holds


def send_big(q):
    q.put("x" * SIZE)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=send_big, args=(q,))
    p.start()
    # The child's feeder thread is stuck writing into a full pipe,
    # so the child cannot exit until someone reads.
    p.join(timeout=0.5)
    print(f"after join(timeout=0.5): is_alive={p.is_alive()}")
    data = q.get(timeout=10)
    p.join()
    print(f"after get(): {len(data)} chars, join() returned, exitcode={p.exitcode}")
