import sys
from concurrent import interpreters

counter = 0


def bump():
    global counter
    counter += 1
    return counter


def describe():
    # Reports on whichever interpreter runs it: its id, this module's name, sys.tag.
    return interpreters.get_current().id, __name__, getattr(sys, "tag", None)


if __name__ == "__main__":
    interp = interpreters.create()
    interp.exec("import sys; sys.tag = 'set by exec'")
    print("main:  ", describe())
    print("interp:", interp.call(describe))
    print("main bumps:  ", bump(), bump(), bump())
    print("interp bumps:", interp.call(bump), interp.call(bump))
    print("main counter:", counter)
    interp.close()
