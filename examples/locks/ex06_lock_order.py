import threading

ROUNDS = 100_000


class Account:
    def __init__(self, number, balance):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def transfer(src, dst, amount):
    # One global order for every thread: the lower account number first.
    first, second = sorted((src, dst), key=lambda account: account.number)
    for _ in range(ROUNDS):
        with first.lock, second.lock:
            src.balance -= amount
            dst.balance += amount


def run():
    a, b = Account(1, 100), Account(2, 100)
    threads = [
        threading.Thread(target=transfer, args=(a, b, 1)),
        threading.Thread(target=transfer, args=(b, a, 1)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return a.balance, b.balance


if __name__ == "__main__":
    a, b = run()
    print(f"account 1: {a}, account 2: {b}, total: {a + b}")
