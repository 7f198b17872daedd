"""Python's multiprocessing side of bench/suites/processes.sh: cold start -> result and 64 KiB / 1 MiB / 64 MiB round
trips for the spawn, forkserver and fork start methods, printed in the same shape as bench/Processes, BENCH lines included.
Usage: mp_processes.py [runs] [largest KiB]"""
import multiprocessing as mp
import os
import statistics
import sys

from timing import times_ms


def square(conn, n):
    conn.send(n * n)
    conn.close()


def echo(conn):
    conn.send_bytes(conn.recv_bytes())
    conn.close()


def start_square(ctx):
    parent, child = ctx.Pipe()
    process = ctx.Process(target=square, args=(child, 3))
    process.start()
    result = parent.recv()
    process.join()
    assert result == 9


def start_echo(ctx, data):
    parent, child = ctx.Pipe()
    process = ctx.Process(target=echo, args=(child,))
    process.start()
    parent.send_bytes(data)
    echoed = parent.recv_bytes()
    process.join()
    assert echoed == data


def report(name, times, extra=""):
    print(f"{name:<50} median {statistics.median(times):8.1f} ms  mean {statistics.fmean(times):8.1f} ms  {extra}")


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    largest = int(sys.argv[2]) if len(sys.argv) > 2 else 64 * 1024
    print(f"# Python {sys.version.split()[0]} multiprocessing, {runs} runs each, {os.cpu_count()} cores")
    for method in ("spawn", "forkserver", "fork"):
        ctx = mp.get_context(method)
        times = times_ms(runs, lambda: start_square(ctx))
        report(f"{method}: Process + Pipe (cold start -> result)", times)
        print(f"BENCH processes.python_{method}.cold_start {statistics.median(times):.2f} ms")
        for kibibytes in (size for size in (64, 1024, 64 * 1024) if size <= largest):
            data = os.urandom(kibibytes * 1024)
            times = times_ms(max(3, runs // 4), lambda: start_echo(ctx, data))
            mebibytes_per_second = 2 * kibibytes / 1024 / (statistics.median(times) / 1000)
            report(f"{method}: echo {kibibytes} KiB (start -> round trip)", times,
                   f"{mebibytes_per_second:.1f} MiB/s both ways incl. start")
            print(f"BENCH processes.python_{method}.echo_{kibibytes}KiB {mebibytes_per_second:.2f} MiB/s")


if __name__ == "__main__":
    main()
