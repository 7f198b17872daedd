using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// The input of one map call and how to make a job of some of its items: read completely (the default), or in
/// windows of a bounded size as tasks end (a pool with <c>maxActiveTasks</c>, or an asynchronous sequence).
/// </summary>
internal abstract class PoolMapInput<TResult> : IAsyncDisposable
{
    protected PoolMapInput(IProgress<PoolProgress>? progress) => Progress = progress;

    /// <summary>The caller's progress sink, or <see langword="null"/>.</summary>
    public IProgress<PoolProgress>? Progress { get; }

    /// <summary>Whether the input is an <see cref="IAsyncEnumerable{T}"/>, which is always read in windows.</summary>
    public abstract bool IsAsync { get; }

    /// <summary>One job over every item, read now; the job reports progress itself.</summary>
    public abstract PoolJob<TResult> ReadAll();

    /// <summary>A job over the next items, at most <paramref name="max"/>; <see langword="null"/> once the input has ended.</summary>
    public abstract PoolJob<TResult>? ReadWindow(int max);

    /// <summary>The asynchronous <see cref="ReadWindow"/>.</summary>
    public abstract ValueTask<PoolJob<TResult>?> ReadWindowAsync(int max, CancellationToken cancellationToken);

    /// <summary>Disposes the input's enumerator, if one was started.</summary>
    public abstract ValueTask DisposeAsync();
}

/// <summary>A map input of <typeparamref name="TArg"/> items, with the job each pool makes of an array of them.</summary>
internal sealed class PoolMapInput<TArg, TResult> : PoolMapInput<TResult>
{
    private readonly IEnumerable<TArg>? _items;
    private readonly IAsyncEnumerable<TArg>? _asyncItems;
    private readonly Func<TArg[], IProgress<PoolProgress>?, PoolJob<TResult>> _createJob;
    private IEnumerator<TArg>? _enumerator;
    private IAsyncEnumerator<TArg>? _asyncEnumerator;

    public PoolMapInput(IEnumerable<TArg> items, Func<TArg[], IProgress<PoolProgress>?, PoolJob<TResult>> createJob, IProgress<PoolProgress>? progress)
        : base(progress)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items;
        _createJob = createJob;
    }

    public PoolMapInput(IAsyncEnumerable<TArg> items, Func<TArg[], IProgress<PoolProgress>?, PoolJob<TResult>> createJob, IProgress<PoolProgress>? progress)
        : base(progress)
    {
        ArgumentNullException.ThrowIfNull(items);
        _asyncItems = items;
        _createJob = createJob;
    }

    public override bool IsAsync => _asyncItems is not null;

    public override PoolJob<TResult> ReadAll() =>
        _createJob(_items as TArg[] ?? [.. _items ?? throw new InvalidOperationException("An asynchronous sequence is read in windows.")], Progress);

    public override PoolJob<TResult>? ReadWindow(int max)
    {
        if (_items is null)
        {
            throw new InvalidOperationException("An asynchronous sequence is read with ReadWindowAsync.");
        }

        _enumerator ??= _items.GetEnumerator();
        var window = new TArg[max];
        int count = 0;
        while (count < max && _enumerator.MoveNext())
        {
            window[count++] = _enumerator.Current;
        }

        return Window(window, count);
    }

    public override async ValueTask<PoolJob<TResult>?> ReadWindowAsync(int max, CancellationToken cancellationToken)
    {
        if (_asyncItems is null)
        {
            return ReadWindow(max);
        }

        _asyncEnumerator ??= _asyncItems.GetAsyncEnumerator(cancellationToken);
        var window = new TArg[max];
        int count = 0;
        while (count < max && await _asyncEnumerator.MoveNextAsync().ConfigureAwait(false))
        {
            window[count++] = _asyncEnumerator.Current;
        }

        return Window(window, count);
    }

    public override async ValueTask DisposeAsync()
    {
        _enumerator?.Dispose();
        if (_asyncEnumerator is not null)
        {
            await _asyncEnumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private PoolJob<TResult>? Window(TArg[] window, int count)
    {
        if (count == 0)
        {
            return null;
        }

        if (count < window.Length)
        {
            Array.Resize(ref window, count);
        }

        // A window reports no progress of its own: the call reports it over all windows.
        return _createJob(window, null);
    }
}
