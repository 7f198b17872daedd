"""The Celery peer of the cluster figures: the same tiny task (x*2) on the same broker, prefork workers of the same
process count, rpc:// results, acks late. Run with Debian's /usr/bin/python3 (python3-celery):

    /usr/bin/python3 celery_peer.py URI [--smoke]

Starts its own Celery worker, prints BENCH lines, stops the worker.
"""
import os
import signal
import statistics
import subprocess
import sys
import time

from celery import Celery, group

BROKER = os.environ.get("CELERY_PEER_BROKER", "amqp://localhost//")
app = Celery("celery_peer", broker=BROKER, backend="rpc://")
app.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, task_default_queue="bench-celery",
                broker_connection_retry_on_startup=True)


@app.task
def double(x):
    return x * 2


def main():
    uri = sys.argv[1]
    smoke = "--smoke" in sys.argv
    round_trips = 20 if smoke else 300
    tiny = 200 if smoke else 5000
    environment = dict(os.environ, CELERY_PEER_BROKER=uri)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_peer", "worker", "--pool", "prefork", "--concurrency", "2",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=os.path.dirname(os.path.abspath(__file__)), env=environment, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app.conf.broker_url = uri
        double.delay(1).get(timeout=120)
        times = []
        for i in range(round_trips):
            start = time.perf_counter()
            assert double.delay(i).get(timeout=60) == i * 2
            times.append((time.perf_counter() - start) * 1000)
        print(f"BENCH celery_roundtrip_median {statistics.median(times):.4f} ms")
        start = time.perf_counter()
        results = group(double.s(i) for i in range(tiny))().get(timeout=600)
        seconds = time.perf_counter() - start
        assert results[-1] == (tiny - 1) * 2
        print(f"BENCH celery_group_tiny_tasks_per_s {tiny / seconds:.4f} tasks/s")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


if __name__ == "__main__":
    main()
