import threading
import time

ROUNDS = 1000
balance = 0
lock = threading.Lock()


def deposit(both_ready):
    global balance
    for _ in range(ROUNDS):
        both_ready.wait()  # both threads reach the lock together, every round
        with lock:
            value = balance
            time.sleep(0)  # let the other thread run: it waits at the lock
            balance = value + 1


def run():
    global balance
    balance = 0
    both_ready = threading.Barrier(2)
    threads = [threading.Thread(target=deposit, args=(both_ready,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return balance


if __name__ == "__main__":
    actual = run()
    print(f"expected balance: {2 * ROUNDS}")
    print(f"actual balance:   {actual}")
    print(f"lost updates:     {2 * ROUNDS - actual}")
