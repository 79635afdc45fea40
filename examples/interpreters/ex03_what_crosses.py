import threading
from concurrent import interpreters


def change(items, view):
    items.append("added there")  # changes the other interpreter's copy only
    view[:2] = b"XY"  # writes into the very buffer the caller owns
    return items


if __name__ == "__main__":
    interp = interpreters.create()
    items = ["a", "b"]
    buffer = bytearray(b"ab")
    there = interp.call(change, items, memoryview(buffer))
    print("list there:  ", there)
    print("list here:   ", items)
    print("buffer here: ", buffer)

    queue = interpreters.create_queue()
    try:
        queue.put(threading.Lock())
    except interpreters.NotShareableError as error:
        print(f"{type(error).__name__}, a TypeError: {isinstance(error, TypeError)}")
        print("  ", error)
    interp.close()
