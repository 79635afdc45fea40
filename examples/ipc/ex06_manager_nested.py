from multiprocessing import Manager, Process


def record(shared, item):
    shared["in_place"].append(item)  # appends to a copy, which is then dropped
    copy = shared["reassigned"]
    copy.append(item)
    shared["reassigned"] = copy  # assigning sends the new value to the manager
    shared["nested"].append(item)  # a proxy inside a proxy: sent to the manager


if __name__ == "__main__":
    with Manager() as manager:
        shared = manager.dict()
        shared["in_place"] = []  # a plain list is stored by value
        shared["reassigned"] = []
        shared["nested"] = manager.list()  # a proxy is stored as a reference
        p = Process(target=record, args=(shared, "ant"))
        p.start()
        p.join()
        for key, value in shared.items():
            print(f"{key:<10}  {type(value).__name__:<9}  {list(value)}")
