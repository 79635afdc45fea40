from multiprocessing import Pipe, Process


def square_server(conn):
    for number in iter(conn.recv, None):
        conn.send(number * number)
    conn.close()


if __name__ == "__main__":
    parent_conn, child_conn = Pipe()  # duplex: both ends send and receive
    p = Process(target=square_server, args=(child_conn,))
    p.start()
    child_conn.close()  # the child has its own copy; ours would hide its EOF

    for number in [3, 4, 12]:
        parent_conn.send(number)
        print(f"sent {number}, received {parent_conn.recv()}")
    parent_conn.send(None)
    try:
        parent_conn.recv()
    except EOFError:
        print("recv() raised EOFError: the child closed its end")
    parent_conn.close()
    p.join()
    print(f"exitcode={p.exitcode}")
