import threading

ROUNDS = 1000
balance = 0


def deposit(both_read, both_wrote):
    global balance
    for _ in range(ROUNDS):
        value = balance  # read
        both_read.wait()  # the other thread reads the same old value
        balance = value + 1  # write: overwrites the other thread's update
        both_wrote.wait()


def run():
    global balance
    balance = 0
    both_read, both_wrote = threading.Barrier(2), threading.Barrier(2)
    threads = [
        threading.Thread(target=deposit, args=(both_read, both_wrote)) for _ in range(2)
    ]
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
