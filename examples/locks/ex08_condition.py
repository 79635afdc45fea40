import threading

items = []
condition = threading.Condition()
DONE = None


def consumer(log):
    while True:
        with condition:
            condition.wait_for(lambda: items)  # releases the lock while waiting
            item = items.pop(0)
        if item is DONE:
            return
        log.append(f"consumer got {item}")


if __name__ == "__main__":
    log = []
    t = threading.Thread(target=consumer, args=(log,))
    t.start()
    for item in ["apple", "pear", "plum", DONE]:
        with condition:
            items.append(item)
            condition.notify()  # wake one waiting consumer
    t.join()
    print(*log, sep="\n")
