import multiprocessing as mp

SETTING = "set at import"


def show_setting():
    print(f"child sees SETTING = {SETTING!r}")
    print(f"child start method: {mp.get_start_method()}")


if __name__ == "__main__":
    SETTING = "changed in the parent's __main__ block"
    print(f"parent sees SETTING = {SETTING!r}", flush=True)

    # spawn: a fresh interpreter that imports this file again, as __mp_main__
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=show_setting)
    p.start()
    p.join()
