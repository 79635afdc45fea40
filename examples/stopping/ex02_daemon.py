import multiprocessing as mp
import os
import threading
import time


def run_forever(name, started, lifeline=None):  # lifeline: only kept open
    print(f"{name}: running in pid={os.getpid()}", flush=True)
    started.set()
    try:
        while True:  # never ends by itself
            time.sleep(0.01)
    finally:
        print(f"{name}: cleaned up")  # never printed


def observe(lifeline):
    try:
        lifeline.recv()  # nothing is ever sent: this returns only at EOF
    except EOFError:
        print("observer: the daemon process is gone, its end of the pipe closed")


if __name__ == "__main__":
    reader, writer = mp.Pipe(duplex=False)
    process_started = mp.Event()
    args = ("daemon process", process_started, writer)
    mp.Process(target=run_forever, args=args, daemon=True).start()
    process_started.wait()
    writer.close()  # from now on only the daemon process holds the write end
    # A non-daemon child: the main process waits for it at exit.
    mp.Process(target=observe, args=(reader,)).start()
    thread_started = threading.Event()
    args = ("daemon thread", thread_started)
    threading.Thread(target=run_forever, args=args, daemon=True).start()
    thread_started.wait()
    print(f"main: pid={os.getpid()}, returning without join() or terminate()")
