"""Python's process pools on the workloads of bench/Pools processes (ProcessPoolBench), as BENCH lines.

Usage: python3 bench/python/pools_processes.py [--smoke]
- multiprocessing.Pool.map of a trivial function over 1,000,000 ints (default chunksize);
- concurrent.futures.ProcessPoolExecutor: submit(...).result() round trips, one at a time, on a warm pool (median);
- the prime-counting kernel sequentially and over a Pool (chunksize 1).
"""
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from timing import times_ms

# The same 64 ranges as bench/Pools: with fewer, the largest last task alone caps the speedup of any pool.
PRIME_RANGES = 64


def twice(x):
    return x * 2


def count_primes(bounds):
    start, stop = bounds
    count = 0
    for n in range(max(start, 2), stop):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        count += prime
    return count


def median_ms(repetitions, run):
    return statistics.median(times_ms(repetitions, run))


def bench(name, value, unit):
    print(f"BENCH {name} {value:.3f} {unit}", flush=True)


def main():
    smoke = "--smoke" in sys.argv[1:]
    items = 20_000 if smoke else 1_000_000
    round_trips = 100 if smoke else 2_000
    prime_limit = 100_000 if smoke else 1_000_000
    repetitions = 1 if smoke else 3
    workers = os.cpu_count()
    inputs = list(range(items))
    step = prime_limit // PRIME_RANGES
    ranges = [(step * i, step * (i + 1)) for i in range(PRIME_RANGES)]

    with multiprocessing.Pool(workers) as pool:
        def run_map():
            results = pool.map(twice, inputs)
            assert results[-1] == (items - 1) * 2 and len(results) == items

        bench("python_pool_map_1m_ints", median_ms(repetitions, run_map), "ms")
        expected = sum(count_primes(r) for r in ranges)
        sequential = median_ms(repetitions, lambda: sum(count_primes(r) for r in ranges) == expected or sys.exit("wrong count"))
        parallel = median_ms(repetitions, lambda: sum(pool.map(count_primes, ranges, chunksize=1)) == expected or sys.exit("wrong count"))
        bench("python_primes_speedup", sequential / parallel, "x")

    with ProcessPoolExecutor(workers) as executor:
        executor.submit(twice, 0).result()
        trips = []
        for i in range(round_trips):
            start = time.perf_counter()
            assert executor.submit(twice, i).result() == i * 2
            trips.append((time.perf_counter() - start) * 1e6)
        bench("python_executor_submit_roundtrip_median", statistics.median(trips), "us")


if __name__ == "__main__":
    main()
