import threading
import time


def loop():
    name = threading.current_thread().name
    print(f"thread {name} is running...")
    for n in range(1, 6):
        print(f"thread {name} >>> {n}")
        time.sleep(0.05)
    print(f"thread {name} ended.")


def main():
    print(f"thread {threading.current_thread().name} is running...")
    t = threading.Thread(target=loop, name="LoopThread")
    t.start()
    t.join()  # wait until loop() has returned
    print(f"thread {threading.current_thread().name} ended.")


if __name__ == "__main__":
    main()
