import threading
import time

WAITS = 4
DELAY = 0.02  # seconds


def fetch(results, i):
    time.sleep(DELAY)  # stands in for waiting on a socket, a disk or a database
    results[i] = f"response {i}"


def sequential():
    results = [None] * WAITS
    for i in range(WAITS):
        fetch(results, i)
    return results


def with_threads():
    results = [None] * WAITS
    threads = [threading.Thread(target=fetch, args=(results, i)) for i in range(WAITS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


if __name__ == "__main__":
    took = {}
    answers = {}
    for name, run in [("sequential", sequential), ("threads", with_threads)]:
        start = time.perf_counter()
        answers[name] = run()
        took[name] = time.perf_counter() - start
        print(f"io-bound  {name:<10}  {took[name]:.3f} s")
    print(f"speed-up with {WAITS} threads: {took['sequential'] / took['threads']:.1f}x")
    print(f"same results: {answers['sequential'] == answers['threads']}")
    print(answers["threads"])
