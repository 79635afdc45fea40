import pickle
import secrets
from multiprocessing import AuthenticationError
from multiprocessing.managers import BaseManager


class Payload:
    # Unpickling calls whatever __reduce__ names: here print, could be os.system.
    def __reduce__(self):
        return (print, ("  this call was chosen by the sender",))


class Manager(BaseManager):
    pass


Manager.register("get_nothing")

if __name__ == "__main__":
    print("pickle.loads() on bytes from the network:")
    pickle.loads(pickle.dumps(Payload()))

    authkey = secrets.token_bytes(32)
    with Manager(address=("127.0.0.1", 0), authkey=authkey) as server:
        for label, key in [("wrong key", b"password"), ("right key", authkey)]:
            client = Manager(address=server.address, authkey=key)
            try:
                client.connect()
                print(f"{label}: connected")
            except AuthenticationError as exc:
                print(f"{label}: {type(exc).__name__}: {exc}")
