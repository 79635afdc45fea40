import threading


def loop():
    pass


def work(name):
    pass


def main():
    threads = [
        threading.Thread(target=loop),
        threading.Thread(target=work, args=("a",)),
        threading.Thread(target=loop, name="LoopThread"),
        threading.Thread(),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
        print(t.name)

    main_thread = threading.current_thread()
    print(f"running in: {main_thread.name}")
    print(f"is the main thread: {main_thread is threading.main_thread()}")


if __name__ == "__main__":
    main()
