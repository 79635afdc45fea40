import threading


def withdraw_no_finally(lock, amount):
    lock.acquire()
    if amount < 0:
        raise ValueError("negative amount")
    lock.release()  # skipped by the exception


def withdraw_try_finally(lock, amount):
    lock.acquire()
    try:
        if amount < 0:
            raise ValueError("negative amount")
    finally:
        lock.release()


def withdraw_with(lock, amount):
    with lock:  # acquire() here, release() on the way out, whatever happens
        if amount < 0:
            raise ValueError("negative amount")


def lock_free_after_error(withdraw):
    lock = threading.Lock()
    failing = threading.Thread(target=withdraw, args=(lock, -1))
    failing.start()
    failing.join()  # the thread that took the lock has died of its exception
    return lock.acquire(timeout=0.2)  # without a timeout: could wait forever


if __name__ == "__main__":
    # Report the exception that ends a thread in one line instead of a traceback.
    threading.excepthook = lambda args: print(f"{args.thread.name}: {args.exc_value}")
    for withdraw in (withdraw_no_finally, withdraw_try_finally, withdraw_with):
        got = lock_free_after_error(withdraw)
        print(f"  main thread: {'got the lock' if got else 'gave up after 0.2 s'}")
