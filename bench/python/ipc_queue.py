"""Python's side of the ipc benchmark: multiprocessing.Queue and Connection.send_bytes, measured as bench/QueueIpc
measures ParallelDsl's queue and pipe (the child's start-up is not timed).

Usage: python3 bench/python/ipc_queue.py [items=200000] [messages=8] [rounds=3]
Prints `PY <name> <value>` lines: queue items per second (child to parent; single items, and lists of 1024) and pipe GiB
per second (64 MiB messages).
"""
import multiprocessing as mp
import os
import statistics
import sys
import time

MESSAGE_BYTES = 64 * 1024 * 1024
CHUNK = 1024


def queue_child(queue, go, count, chunk):
    go.wait()
    if chunk == 1:
        for i in range(count):
            queue.put(i)
    else:
        for start in range(0, count, chunk):
            queue.put(list(range(start, min(start + chunk, count))))


def queue_round(count, chunk=1):
    """Items from a child to the parent: one by one, or (chunk > 1) as lists, Python's usual remedy for a slow queue."""
    queue = mp.Queue()
    go = mp.Event()
    child = mp.Process(target=queue_child, args=(queue, go, count, chunk))
    child.start()
    time.sleep(0.5)
    started = time.perf_counter()
    go.set()
    total = 0
    received = 0
    while received < count:
        item = queue.get()
        if chunk == 1:
            total += item
            received += 1
        else:
            total += sum(item)
            received += len(item)
    seconds = time.perf_counter() - started
    child.join()
    assert total == count * (count - 1) // 2
    return count / seconds


def pipe_child(connection, count):
    for _ in range(count):
        assert len(connection.recv_bytes()) == MESSAGE_BYTES
    connection.send_bytes(b"")


def pipe_round(count):
    mine, theirs = mp.Pipe()
    child = mp.Process(target=pipe_child, args=(theirs, count))
    child.start()
    theirs.close()
    message = os.urandom(MESSAGE_BYTES)
    time.sleep(0.5)
    started = time.perf_counter()
    for _ in range(count):
        mine.send_bytes(message)
    assert mine.recv_bytes() == b""
    seconds = time.perf_counter() - started
    child.join()
    return count * MESSAGE_BYTES / (1 << 30) / seconds


def main():
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    messages = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    mp.set_start_method("spawn")
    queue_rate = statistics.median(queue_round(items) for _ in range(rounds))
    chunks_rate = statistics.median(queue_round(items * 4, CHUNK) for _ in range(rounds))
    pipe_rate = statistics.median(pipe_round(messages) for _ in range(rounds))
    print(f"  python multiprocessing.Queue, child to parent: {queue_rate:,.0f} items/s ({items:,} items, median of {rounds})")
    print(f"  python multiprocessing.Queue, lists of {CHUNK}:   {chunks_rate:,.0f} items/s ({items * 4:,} items, median of {rounds})")
    print(f"  python Connection.send_bytes, 64 MiB:          {pipe_rate:.2f} GiB/s ({messages} messages, median of {rounds})")
    print(f"PY queue_ints_per_s {queue_rate:.0f}")
    print(f"PY queue_chunks_ints_per_s {chunks_rate:.0f}")
    print(f"PY pipe_64mib_gib_per_s {pipe_rate:.2f}")


if __name__ == "__main__":
    main()
