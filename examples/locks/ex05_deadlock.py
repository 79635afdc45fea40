import threading

lock_a = threading.Lock()
lock_b = threading.Lock()
both_hold_first = threading.Barrier(2)
both_tried = threading.Barrier(2)


def transfer(name, first, second, results):
    with first:
        both_hold_first.wait()  # now each thread holds the lock the other one needs
        got_second = second.acquire(timeout=0.1)  # without a timeout: hangs forever
        if got_second:
            second.release()
        results[name] = "done" if got_second else "gave up after 0.1 s: deadlock"
        both_tried.wait()  # hold `first` until the other thread has tried as well


def run():
    results = {}
    threads = [
        threading.Thread(target=transfer, args=("a", lock_a, lock_b, results)),
        threading.Thread(target=transfer, args=("b", lock_b, lock_a, results)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


if __name__ == "__main__":
    for name, outcome in sorted(run().items()):
        print(f"thread {name}: {outcome}")
