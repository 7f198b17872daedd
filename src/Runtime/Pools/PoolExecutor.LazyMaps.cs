using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

// Maps over a map input: read completely at the call's start (the default), or lazily in windows, with at most
// maxActiveTasks tasks read and not yet handed back (see PoolWindows).
public abstract partial class PoolExecutor
{
    /// <summary>The bound on tasks in flight for an asynchronous input when the pool sets none.</summary>
    internal const int DefaultAsyncMaxActiveTasks = 65_536;

    private protected TResult[] MapCore<TResult>(PoolMapInput<TResult> input, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (LazyBound(input) is not int bound)
        {
            return MapCore(input.ReadAll(), chunkSize, timeout, cancellationToken);
        }

        var deadline = new PoolDeadline(timeout);
        var windows = new PoolWindows<TResult>(input, bound, unordered: false, SubmitWindow(chunkSize, cancellationToken));
        var results = new List<TResult[]>();
        var errors = new List<KeyValuePair<int, Exception>>();
        try
        {
            windows.Fill();
            while (windows.HasOpen)
            {
                PoolWindow<TResult> oldest = windows.Oldest;
                if (!deadline.Wait(oldest.Job.Completion, cancellationToken))
                {
                    throw MapTimedOut(timeout);
                }

                Gather(oldest, results, errors);
                windows.RetireOldest();
                windows.Fill();
            }
        }
        finally
        {
            windows.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return Collect(Concatenate(results, windows.Read), errors, windows.Read, windows.AnyCancelled, cancellationToken);
    }

    private protected async Task<TResult[]> MapCoreAsync<TResult>(PoolMapInput<TResult> input, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (LazyBound(input) is not int bound)
        {
            return await MapCoreAsync(input.ReadAll(), chunkSize, timeout, cancellationToken).ConfigureAwait(false);
        }

        var deadline = new PoolDeadline(timeout);
        var results = new List<TResult[]>();
        var errors = new List<KeyValuePair<int, Exception>>();
        await using var windows = new PoolWindows<TResult>(input, bound, unordered: false, SubmitWindow(chunkSize, cancellationToken));
        using CancellationTokenSource wait = deadline.CreateLinkedSource(cancellationToken);
        try
        {
            await windows.FillAsync(wait.Token).ConfigureAwait(false);
            while (windows.HasOpen)
            {
                PoolWindow<TResult> oldest = windows.Oldest;
                await oldest.Job.Completion.WaitAsync(wait.Token).ConfigureAwait(false);
                Gather(oldest, results, errors);
                windows.RetireOldest();
                await windows.FillAsync(wait.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw MapTimedOut(timeout);
        }

        return Collect(Concatenate(results, windows.Read), errors, windows.Read, windows.AnyCancelled, cancellationToken);
    }

    private protected IEnumerable<TResult> MapUnorderedCore<TResult>(PoolMapInput<TResult> input, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken) =>
        LazyBound(input) is int bound
            ? ReadLazily(input, bound, chunkSize, new PoolDeadline(timeout), cancellationToken)
            : MapUnorderedCore(input.ReadAll(), chunkSize, timeout, cancellationToken);

    private protected IAsyncEnumerable<TResult> MapUnorderedCoreAsync<TResult>(PoolMapInput<TResult> input, int chunkSize, TimeSpan? timeout, CancellationToken cancellationToken) =>
        LazyBound(input) is int bound
            ? ReadLazilyAsync(input, bound, chunkSize, new PoolDeadline(timeout), cancellationToken)
            : MapUnorderedCoreAsync(input.ReadAll(), chunkSize, timeout, cancellationToken);

    /// <summary>The bound on tasks in flight when <paramref name="input"/> is read lazily; <see langword="null"/> to read it at once.</summary>
    private int? LazyBound<TResult>(PoolMapInput<TResult> input) =>
        Engine.MaxActiveTasks > 0 ? Engine.MaxActiveTasks
        : input.IsAsync ? DefaultAsyncMaxActiveTasks
        : null;

    private Action<PoolJob> SubmitWindow(int chunkSize, CancellationToken cancellationToken) =>
        job => Engine.Submit(job, ChunkSize(chunkSize, job.Count), cancellationToken);

    /// <summary>The results of the windows in one array: while it is filled, the results are held twice.</summary>
    private static TResult[] Concatenate<TResult>(List<TResult[]> windows, long count)
    {
        var all = new TResult[count];
        long at = 0;
        for (int i = 0; i < windows.Count; i++)
        {
            windows[i].CopyTo(all, at);
            at += windows[i].Length;
            windows[i] = [];
        }

        return all;
    }

    private static void Gather<TResult>(PoolWindow<TResult> window, List<TResult[]> results, List<KeyValuePair<int, Exception>> errors)
    {
        results.Add(window.Job.Results);
        errors.AddRange(window.Job.Errors.Select(error => KeyValuePair.Create(window.InputIndex(error.Key), error.Value)));
    }

    private IEnumerable<TResult> ReadLazily<TResult>(PoolMapInput<TResult> input, int bound, int chunkSize, PoolDeadline deadline, CancellationToken cancellationToken)
    {
        var windows = new PoolWindows<TResult>(input, bound, unordered: true, SubmitWindow(chunkSize, cancellationToken));
        try
        {
            windows.Fill();
            while (windows.HasOpen)
            {
                (PoolWindow<TResult> window, int position, Exception? error) = deadline.ReadBlocking(windows.Ended, () => DescribeLazyTimeout(windows.Read), cancellationToken);
                yield return ResultOrThrow(window.Job, position, error, cancellationToken, window.InputIndex(position));
                if (windows.TakeOne(window))
                {
                    windows.Fill();
                }
            }
        }
        finally
        {
            // An enumeration that stops early (break, Take, an exception, a timeout) cancels what is in flight.
            windows.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private async IAsyncEnumerable<TResult> ReadLazilyAsync<TResult>(
        PoolMapInput<TResult> input,
        int bound,
        int chunkSize,
        PoolDeadline deadline,
        CancellationToken callToken,
        [EnumeratorCancellation] CancellationToken enumerationToken = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(callToken, enumerationToken);
        using CancellationTokenSource wait = deadline.CreateLinkedSource(cancellation.Token);
        await using var windows = new PoolWindows<TResult>(input, bound, unordered: true, SubmitWindow(chunkSize, cancellation.Token));
        await FillOrTimeOut(windows, wait.Token, cancellation.Token).ConfigureAwait(false);
        while (windows.HasOpen)
        {
            (PoolWindow<TResult> Window, int Position, Exception? Error) next;
            try
            {
                next = await windows.Ended.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new TimeoutException(DescribeLazyTimeout(windows.Read));
            }

            yield return ResultOrThrow(next.Window.Job, next.Position, next.Error, cancellation.Token, next.Window.InputIndex(next.Position));
            if (windows.TakeOne(next.Window))
            {
                await FillOrTimeOut(windows, wait.Token, cancellation.Token).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask FillOrTimeOut<TResult>(PoolWindows<TResult> windows, CancellationToken wait, CancellationToken cancellation)
    {
        try
        {
            await windows.FillAsync(wait).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new TimeoutException(DescribeLazyTimeout(windows.Read));
        }
    }

    private static string DescribeLazyTimeout(long read) =>
        $"The map did not finish in time ({read} items read so far); the tasks in flight were cancelled.";
}
