using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// What the joins of a handle without a result share between threads and processes: they wait for the end and
/// return whatever the outcome, as Python's <c>join()</c> does, and a failure nobody caused on purpose is written to
/// standard error when it happens, as Python prints the traceback of a thread or child that raised.
/// </summary>
internal static class HandleOutcome
{
    /// <summary>Completes when <paramref name="completion"/> has ended, whatever its outcome; only the wait can be cancelled.</summary>
    public static async Task Ended(Task completion, CancellationToken cancellationToken)
    {
        await completion.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Writes <paramref name="failure"/> of the thread or process <paramref name="who"/> names to standard error.</summary>
    public static void Report(string who, Exception failure)
    {
        try
        {
            Console.Error.WriteLine($"Exception in {who}:{Environment.NewLine}{failure}");
        }
        catch (Exception ex) when (ex is System.IO.IOException or ObjectDisposedException)
        {
            // Standard error is gone (closed by the host): the failure is still kept on the handle.
        }
    }
}
