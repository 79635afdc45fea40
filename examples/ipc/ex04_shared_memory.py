from multiprocessing import Process
from multiprocessing.shared_memory import SharedMemory


def fill_squares(name, count):
    shm = SharedMemory(name=name)  # attach to the block by its name
    for i in range(count):
        shm.buf[i] = i * i
    shm.close()


if __name__ == "__main__":
    shm = SharedMemory(create=True, size=8)
    try:
        shm.buf[:8] = bytes(8)
        p = Process(target=fill_squares, args=(shm.name, 8))
        p.start()
        p.join()
        # No copy was sent back: the parent reads the same memory.
        print(f"parent sees: {list(shm.buf[:8])}")
    finally:
        shm.close()
        shm.unlink()  # exactly once, by the owner
    print("closed and unlinked")
