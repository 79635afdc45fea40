import threading

local_school = threading.local()


def process_student():
    student = local_school.student  # this thread's own value, no argument needed
    return f"Hello, {student} (in {threading.current_thread().name})"


def process_thread(name, all_set, greetings):
    local_school.student = name
    all_set.wait()  # every thread has written its value before anyone reads
    greetings[name] = process_student()


def run(names):
    greetings = {}
    all_set = threading.Barrier(len(names))
    threads = [
        threading.Thread(
            target=process_thread,
            args=(name, all_set, greetings),
            name=f"Thread-{name}",
        )
        for name in names
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [greetings[name] for name in names]


if __name__ == "__main__":
    print(*run(["Alice", "Bob"]), sep="\n")
    print(f"main thread has a student: {hasattr(local_school, 'student')}")
