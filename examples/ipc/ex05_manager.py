from multiprocessing import Manager, Process


def count_letters(word, lengths, log):
    lengths[word] = len(word)
    log.append(word)


if __name__ == "__main__":
    words = ["fork", "spawn", "forkserver"]
    with Manager() as manager:
        lengths = manager.dict()  # proxies: every access is a message to the manager
        log = manager.list()
        workers = [
            Process(target=count_letters, args=(word, lengths, log)) for word in words
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print(f"lengths: {dict(sorted(lengths.items()))}")
        print(f"log (sorted): {sorted(log)}")
        print(f"type of lengths: {type(lengths).__name__}")
