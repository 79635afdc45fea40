import asyncio
import contextvars

current_user = contextvars.ContextVar("current_user", default=None)


async def handle(user):
    inherited = current_user.get()  # from the copy made when the task was created
    current_user.set(user)  # changes this task's copy only
    await asyncio.sleep(0)  # the other task runs here and sets its own value
    return f"task for {user}: started with {inherited!r}, sees {current_user.get()!r}"


async def main():
    current_user.set("main")
    print(*await asyncio.gather(handle("alice"), handle("bob")), sep="\n")
    print(f"main still sees {current_user.get()!r}")


if __name__ == "__main__":
    asyncio.run(main())
