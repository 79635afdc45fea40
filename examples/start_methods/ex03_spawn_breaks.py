import multiprocessing as mp


def main():
    def greet(name):  # a local function: spawn cannot pickle it by name
        print(f"hello, {name}")

    ctx = mp.get_context("spawn")
    p = ctx.Process(target=greet, args=("spawn",))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
