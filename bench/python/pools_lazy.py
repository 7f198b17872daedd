"""Python's peer of bench/Pools lazy mode (LazyMapBench): Pool.imap over 10,000,000 generated ints with a chunksize.

Usage: python3 bench/python/pools_lazy.py [--smoke]
Prints the map's time and the process's peak resident memory (ru_maxrss) as BENCH lines. Run it in a process of its
own: the peak is the whole process's.
"""
import multiprocessing
import os
import resource
import sys
import time


def twice(x):
    return x * 2


def generate(count):
    for i in range(count):
        yield i


def main():
    items = 200_000 if "--smoke" in sys.argv[1:] else 10_000_000
    with multiprocessing.Pool(os.cpu_count()) as pool:
        sum(pool.imap(twice, generate(10_000), chunksize=1_000))
        start = time.perf_counter()
        total = sum(pool.imap(twice, generate(items), chunksize=1_000))
        elapsed = (time.perf_counter() - start) * 1000
    if total != items * (items - 1):
        sys.exit(f"the lazy map summed to {total}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"BENCH python_pool_imap_10m_ints {elapsed:.3f} ms", flush=True)
    print(f"BENCH python_pool_imap_10m_peak_rss {peak_mib:.1f} MiB", flush=True)


if __name__ == "__main__":
    main()
