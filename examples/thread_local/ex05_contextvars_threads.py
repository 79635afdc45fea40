import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

current_user = contextvars.ContextVar("current_user", default=None)


def whoami():
    return current_user.get()


def in_new_thread():
    seen = []
    t = threading.Thread(target=lambda: seen.append(whoami()))
    t.start()
    t.join()
    return seen[0]


def run():
    """What the main thread, a new thread and a pool thread see, in that order."""
    current_user.set("alice")
    with ThreadPoolExecutor(max_workers=1) as pool:
        plain = pool.submit(whoami).result()
        copied = pool.submit(contextvars.copy_context().run, whoami).result()
    return whoami(), in_new_thread(), plain, copied


if __name__ == "__main__":
    main, thread, plain, copied = run()
    print(f"main thread:         {main!r}")
    print(f"new thread:          {thread!r}")
    print(f"pool.submit():       {plain!r}")
    print(f"with copy_context(): {copied!r}")
