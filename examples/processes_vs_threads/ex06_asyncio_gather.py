import asyncio
import threading
import time


async def fetch(name, delay):
    print(f"{name}: waiting {delay} seconds")
    await asyncio.sleep(delay)  # gives the event loop to the other tasks
    print(f"{name}: done")
    return name.upper()


async def main():
    start = time.perf_counter()
    results = await asyncio.gather(
        fetch("a", 0.3),
        fetch("b", 0.1),
        fetch("c", 0.2),
    )
    print(f"results in call order: {results}")
    print(f"total: {time.perf_counter() - start:.2f} s, sum of waits: 0.6 seconds")
    print(f"threads in this process: {threading.active_count()}")


if __name__ == "__main__":
    asyncio.run(main())
