from concurrent import interpreters

MODULES = ["json", "sqlite3", "readline"]  # all three have parts written in C


if __name__ == "__main__":
    interp = interpreters.create()
    for name in MODULES:
        try:
            interp.exec(f"import {name}")
        except interpreters.ExecutionFailed as error:
            # The exception itself stays in the other interpreter; its summary crosses.
            print(f"{name}: {type(error).__name__}")
            print("  ", str(error).splitlines()[0])
        else:
            print(f"{name}: imported")
    interp.close()
