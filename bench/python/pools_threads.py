"""Python's concurrent.futures.ThreadPoolExecutor on trivial work, for comparison with bench/Pools.

Usage: python3 bench/python/pools_threads.py [items] [repetitions]
Prints markdown table rows in the same shape as `dotnet run -c Release --project bench/Pools`.
"""
import os
import statistics
import sys
from concurrent.futures import ThreadPoolExecutor

from timing import times_ms


def twice(x):
    return x * 2


def check(results, count):
    for i in range(count):
        if results[i] != i * 2:
            raise AssertionError(f"wrong result at {i}: {results[i]}")


def report(what, count, repetitions, run):
    median = statistics.median(times_ms(repetitions, run))
    print(f"| Python {what} | {count:,} | {median:.1f} | {median * 1e6 / count:.1f} |")


def main():
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    workers = os.cpu_count()
    per_item = min(items, 100_000)
    print(f"# pools (Python {sys.version.split()[0]}): {items:,} trivial items, {workers} workers, median of {repetitions}")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        report("ThreadPoolExecutor.map", items, repetitions,
               lambda: check(list(pool.map(twice, range(items))), items))
        report("ThreadPoolExecutor.submit per item", per_item, repetitions,
               lambda: check([f.result() for f in [pool.submit(twice, i) for i in range(per_item)]], per_item))
    report("list comprehension, no pool (floor)", items, repetitions,
           lambda: check([twice(i) for i in range(items)], items))


if __name__ == "__main__":
    main()
