import multiprocessing as mp


def put_square(q, n):
    q.put(n * n)


if __name__ == "__main__":
    # The global default: set it once, first thing in the main block.
    mp.set_start_method("spawn")
    q = mp.Queue()
    p = mp.Process(target=put_square, args=(q, 6))
    p.start()
    print(f"global default {mp.get_start_method()}: child sent {q.get()}")
    p.join()

    try:
        mp.set_start_method("spawn")
    except RuntimeError as exc:
        print(f"second set_start_method(): RuntimeError: {exc}")

    # A context object: a local choice, its Queue and Process belong together.
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=put_square, args=(q, 7))
    p.start()
    print(f"context {ctx.get_start_method()}: child sent {q.get()}")
    p.join()
