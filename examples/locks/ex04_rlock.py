import threading


class Account:
    def __init__(self, lock):
        self.lock = lock
        self.balance = 0

    def deposit(self, amount):
        with self.lock:
            self.balance += amount

    def deposit_twice(self, amount):
        with self.lock:  # deposit() takes the same lock again, in the same thread
            self.deposit(amount)
            self.deposit(amount)


def try_nested(lock):
    with lock:
        # A blocking acquire() would wait forever here if the lock is not re-entrant.
        inner = lock.acquire(timeout=0.1)
        if inner:
            lock.release()
    return inner


if __name__ == "__main__":
    print(f"Lock, acquired again:  {try_nested(threading.Lock())}")
    print(f"RLock, acquired again: {try_nested(threading.RLock())}")
    account = Account(threading.RLock())
    account.deposit_twice(50)
    print(f"balance with RLock: {account.balance}")
