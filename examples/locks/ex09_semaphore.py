import threading
import time

slots = threading.BoundedSemaphore(2)  # at most two downloads at a time
lock = threading.Lock()
running = 0
peak = 0


def download(n):
    global running, peak
    with slots:
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1


if __name__ == "__main__":
    threads = [threading.Thread(target=download, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"6 downloads, never more than 2 at once: {peak <= 2}")
