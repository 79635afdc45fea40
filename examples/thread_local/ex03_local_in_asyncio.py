import asyncio
import threading

request = threading.local()


async def handle(user):
    request.user = user
    await asyncio.sleep(0)  # the other task runs here, in the same thread
    return f"task for {user} sees user={request.user!r}"


async def main():
    print(*await asyncio.gather(handle("alice"), handle("bob")), sep="\n")


if __name__ == "__main__":
    asyncio.run(main())
