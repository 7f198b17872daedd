"""Timing shared by the Python side of the benchmarks."""
import time


def times_ms(runs, action):
    """Runs `action` once to warm up, then `runs` more times; returns the time of each of those in milliseconds."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times
