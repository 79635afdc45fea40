from concurrent.futures import ThreadPoolExecutor, as_completed


def parse(text):
    return int(text)


def main():
    inputs = ["10", "20", "x", "40"]
    results = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(parse, text): text for text in inputs}
        for future in as_completed(futures):  # finishing order, not input order
            text = futures[future]
            try:
                results[text] = future.result()
            except ValueError as exc:
                results[text] = f"failed: {exc}"
    for text in inputs:  # report in input order, whatever the finishing order was
        print(f"{text!r} -> {results[text]}")


if __name__ == "__main__":
    main()
