using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// Where <see cref="ProcessPool"/> gets its worker processes: the launchers' spawn path (a fresh start of the
/// program, or of its host, over an authenticated Unix socket), but the worker serves task frames until it is told
/// to shut down. Each one is wrapped as a <see cref="ChannelPoolWorker"/> over a <see cref="ProcessPoolChannel"/>.
/// </summary>
internal static class ProcessPoolWorkers
{
    /// <summary>Creates the worker factory of the pool named <paramref name="poolName"/>.</summary>
    public static IPoolWorkerFactory CreateFactory(string poolName) => new Factory(poolName);

    private sealed class Factory(string poolName) : IPoolWorkerFactory
    {
        /// <summary>How long a worker whose channel broke while it started has to exit and say how it ended.</summary>
        private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

        public async ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken)
        {
            ProcessLauncher.ThrowIfUnsupportedPlatform();
            MainGuard.ExitIfUnguardedWorker();
            cancellationToken.ThrowIfCancellationRequested();

            // Pool workers are daemons, as in Python: at the parent's exit they are killed, not joined.
            string name = string.Create(CultureInfo.InvariantCulture, $"{poolName}-worker-{number}");
            WorkerProcess process = WorkerProcess.Start(name, isDaemon: true);
            ProcessPoolChannel? channel = null;
            try
            {
                WorkerConnection connection;
                using (cancellationToken.Register(static state => ((WorkerProcess)state!).Kill(), process))
                {
                    connection = await process.ConnectAsync().ConfigureAwait(false);
                }

                channel = new ProcessPoolChannel(process, connection);
                channel.AttachLane();
                return new ChannelPoolWorker(channel, sendsBatches: true);
            }
            catch (Exception exception)
            {
                Exception? crash = cancellationToken.IsCancellationRequested ? null : await DescribeCrashAsync(process, exception).ConfigureAwait(false);
                process.Kill();
                if (channel is not null)
                {
                    await channel.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    await process.WaitForExitAsync().ConfigureAwait(false);
                    process.Dispose();
                }

                if (crash is null)
                {
                    throw;
                }

                throw crash;
            }
        }

        /// <summary>
        /// The crash behind a failed start, for the engine to start the worker again: a signal ended the worker before
        /// it connected, or its channel broke before it was ready. <see langword="null"/> for any other failure (a
        /// missing guard, a program that cannot start), which the retry would only repeat.
        /// </summary>
        private static async Task<Exception?> DescribeCrashAsync(WorkerProcess process, Exception failure)
        {
            if (failure is ProcessTerminatedException { Signal: not null })
            {
                return new PoolWorkerStartCrashedException(failure.Message, failure);
            }

            if (failure is not IOException)
            {
                return null;
            }

            try
            {
                await process.WaitForExitAsync().WaitAsync(ExitWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new PoolWorkerStartCrashedException($"The channel to worker '{process.Name}' (pid {process.Pid}) broke while it started: {failure.Message}", failure);
            }

            ProcessTerminatedException death = process.Terminated();
            return new PoolWorkerStartCrashedException($"Worker '{process.Name}' (pid {process.Pid}) died while it started: {death.Message}", death);
        }
    }
}
