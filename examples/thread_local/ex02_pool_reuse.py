import threading
from concurrent.futures import ThreadPoolExecutor

request = threading.local()


def describe(user):
    seen = getattr(request, "user", None)
    return f"{threading.current_thread().name}: task({user!r}) sees user={seen!r}"


def leaky_task(user):
    if user is not None:  # an anonymous request sets nothing...
        request.user = user
    return describe(user)  # ...and sees what the previous task left behind


def clean_task(user):
    request.user = user  # set at the start of every task, even to None
    try:
        return describe(user)
    finally:
        del request.user  # and leave nothing behind for the next task


def run(task, users):
    # One worker thread, so the second task surely runs on the same thread.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker") as pool:
        return list(pool.map(task, users))


if __name__ == "__main__":
    for task in (leaky_task, clean_task):
        print(f"{task.__name__}:")
        print(*run(task, ["alice", None]), sep="\n")
