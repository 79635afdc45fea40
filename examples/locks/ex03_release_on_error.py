import threading

lock = threading.Lock()


def withdraw_no_finally(amount):
    lock.acquire()
    if amount < 0:
        raise ValueError("negative amount")
    lock.release()  # skipped by the exception


def withdraw_try_finally(amount):
    lock.acquire()
    try:
        if amount < 0:
            raise ValueError("negative amount")
    finally:
        lock.release()


def withdraw_with(amount):
    with lock:  # acquire() here, release() on the way out, whatever happens
        if amount < 0:
            raise ValueError("negative amount")


if __name__ == "__main__":
    for withdraw in (withdraw_no_finally, withdraw_try_finally, withdraw_with):
        try:
            withdraw(-1)
        except ValueError as exc:
            print(f"{withdraw.__name__}: {exc}, lock still held: {lock.locked()}")
        if lock.locked():
            lock.release()  # clean up so that the next variant starts fresh
