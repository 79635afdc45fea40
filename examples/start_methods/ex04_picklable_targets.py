import functools
import multiprocessing as mp


def greet(greeting, name):
    print(f"{greeting}, {name}", flush=True)


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    targets = [
        ("module-level function", greet, ("hello", "spawn")),
        ("functools.partial of it", functools.partial(greet, "hi"), ("partial",)),
    ]
    for label, target, args in targets:
        print(f"{label}:", flush=True)
        p = ctx.Process(target=target, args=args)
        p.start()
        p.join()
