import signal
import sys
import time
from multiprocessing import Process


def finish_normally():
    pass


def exit_with_3():
    sys.exit(3)


def sleep_long():
    time.sleep(10)


if __name__ == "__main__":
    normal = Process(target=finish_normally)
    failing = Process(target=exit_with_3)
    killed = Process(target=sleep_long)
    for p in (normal, failing, killed):
        p.start()
    killed.terminate()  # sends SIGTERM on POSIX
    for p in (normal, failing, killed):
        p.join()

    print(f"returned normally: exitcode={normal.exitcode}")
    print(f"called sys.exit(3): exitcode={failing.exitcode}")
    code = killed.exitcode
    print(f"terminated: exitcode={code} ({signal.Signals(-code).name})")
