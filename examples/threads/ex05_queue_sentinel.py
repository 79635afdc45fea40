import queue
import threading
import time

DONE = None  # the sentinel: "no more items"


def producer(tasks, items, consumers):
    for item in items:
        tasks.put(item)
    for _ in range(consumers):  # one sentinel per consumer, after the last item
        tasks.put(DONE)


def consumer(tasks, handled):
    while True:
        item = tasks.get()  # waits until there is an item
        if item is DONE:
            return
        time.sleep(0.01)  # the work on the item
        handled.append(item)  # this consumer's own list: nothing is shared


def run(items, consumers):
    tasks = queue.Queue()
    handled = [[] for _ in range(consumers)]
    threads = [threading.Thread(target=consumer, args=(tasks, h)) for h in handled]
    threads += [threading.Thread(target=producer, args=(tasks, items, consumers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()  # every consumer has met its sentinel
    return handled


if __name__ == "__main__":
    items = list(range(1, 13))
    handled = sorted(item for own in run(items, consumers=3) for item in own)
    print(f"3 consumers handled {handled}")
    print(f"every item exactly once: {handled == items}")
