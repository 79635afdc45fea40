import multiprocessing as mp
import os
import threading
import time


def run_forever(name, started, lifeline=None):
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
    started = mp.Event()
    args = ("daemon process", started, writer)
    mp.Process(target=run_forever, args=args, daemon=True).start()
    started.wait()
    writer.close()  # from now on only the daemon process holds the write end
    # A non-daemon child: the main process waits for it at exit.
    mp.Process(target=observe, args=(reader,)).start()
    started = threading.Event()
    args = ("daemon thread", started)
    threading.Thread(target=run_forever, args=args, daemon=True).start()
    started.wait()
    print(f"main: pid={os.getpid()}, returning without join() or terminate()")
