using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

// The watchdog of a task's time limit.
internal sealed partial class PoolEngine
{
    /// <summary>
    /// Signals <c>abort</c> once the task in flight (the one after the chunk's last report) has run longer than the
    /// timeout. A timer on the thread pool checks, since the slot thread is busy with the chunk.
    /// </summary>
    private sealed class Watchdog
    {
        private readonly PoolChunk _chunk;
        private readonly TimeSpan _timeout;
        private readonly CancellationTokenSource _abort;
        private readonly Timer _timer;
        private readonly Lock _lock = new();
        private bool _stopped;
        private bool _fired;

        public Watchdog(PoolChunk chunk, TimeSpan timeout, CancellationTokenSource abort)
        {
            _chunk = chunk;
            _timeout = timeout;
            _abort = abort;
            _timer = new Timer(static state => ((Watchdog)state!).Check(), this, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Whether the watchdog signalled the abort.</summary>
        public bool Fired
        {
            get
            {
                lock (_lock)
                {
                    return _fired;
                }
            }
        }

        /// <summary>Stops checking; after this returns, the abort is no longer signalled.</summary>
        public void Stop()
        {
            lock (_lock)
            {
                _stopped = true;
            }

            _timer.Dispose();
        }

        private void Check()
        {
            lock (_lock)
            {
                if (_stopped)
                {
                    return;
                }

                TimeSpan left = _timeout - Stopwatch.GetElapsedTime(_chunk.LastReportTimestamp);
                if (left > TimeSpan.Zero)
                {
                    _timer.Change(left, Timeout.InfiniteTimeSpan);
                    return;
                }

                _fired = true;
                _abort.Cancel();
            }
        }
    }
}
