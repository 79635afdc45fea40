import threading

config = {}
loaded = threading.Event()


def worker():
    loaded.wait()  # blocks until main() calls loaded.set()
    print(f"worker: using {config}", flush=True)


if __name__ == "__main__":
    print(f"wait with nothing set: {loaded.wait(timeout=0.05)}")
    t = threading.Thread(target=worker)
    t.start()
    print("main: loading config", flush=True)
    config["retries"] = 3
    loaded.set()
    t.join()
    print(f"is_set: {loaded.is_set()}")
