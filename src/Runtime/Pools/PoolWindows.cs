using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>A job over consecutive items of a lazily read map input, and where its first item is in the input.</summary>
internal sealed class PoolWindow<TResult>(PoolJob<TResult> job, long offset)
{
    public PoolJob<TResult> Job { get; } = job;

    /// <summary>The input index of the window's first item.</summary>
    public long Offset { get; } = offset;

    /// <summary>How many of its results the caller has taken (unordered maps).</summary>
    public int Consumed { get; set; }

    /// <summary>The input index of the window's task at <paramref name="position"/>, as a <see cref="PoolTaskException"/> carries it.</summary>
    public int InputIndex(int position) => (int)Math.Min(Offset + position, int.MaxValue);
}

/// <summary>
/// The windows in flight of one lazily read map: the input is read on the caller's thread, a window at a time, so that
/// at most <c>maxActive</c> tasks are read and not yet handed back; a window leaves when the caller has taken it (all
/// its results for an unordered map, its completion in input order for an ordered one), and the next is read.
/// </summary>
internal sealed class PoolWindows<TResult> : IAsyncDisposable
{
    /// <summary>Windows in flight when the bound allows: a window ending leaves the others to keep the workers busy.</summary>
    private const int WindowsInFlight = 4;

    private readonly PoolMapInput<TResult> _input;
    private readonly Action<PoolJob> _submit;
    private readonly int _maxActive;
    private readonly int _windowSize;
    private readonly Queue<PoolWindow<TResult>> _open = new();
    private readonly Channel<(PoolWindow<TResult> Window, int Position, Exception? Error)>? _ended;
    private int _active;
    private long _read;
    private long _taken;
    private bool _exhausted;

    public PoolWindows(PoolMapInput<TResult> input, int maxActive, bool unordered, Action<PoolJob> submit)
    {
        _input = input;
        _submit = submit;
        _maxActive = maxActive;
        _windowSize = Math.Max(1, maxActive / WindowsInFlight);
        if (unordered)
        {
            _ended = Channel.CreateUnbounded<(PoolWindow<TResult>, int, Exception?)>(new UnboundedChannelOptions { SingleReader = true });
        }
    }

    /// <summary>Whether a window is still in flight.</summary>
    public bool HasOpen => _open.Count > 0;

    /// <summary>The oldest window in flight (ordered maps take windows in input order).</summary>
    public PoolWindow<TResult> Oldest => _open.Peek();

    /// <summary>Each task of an unordered map as it ends, with its window.</summary>
    public ChannelReader<(PoolWindow<TResult> Window, int Position, Exception? Error)> Ended =>
        _ended?.Reader ?? throw new InvalidOperationException("An ordered map takes its windows in order.");

    /// <summary>How many items have been read from the input.</summary>
    public long Read => _read;

    /// <summary>Whether any window was cancelled (by the caller, a timeout or the pool).</summary>
    public bool AnyCancelled { get; private set; }

    /// <summary>Reads and submits windows until the bound is reached or the input ends.</summary>
    public void Fill()
    {
        while (NextSize() is int size && Open(_input.ReadWindow(size)))
        {
        }
    }

    /// <summary>The asynchronous <see cref="Fill"/>.</summary>
    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        while (NextSize() is int size && Open(await _input.ReadWindowAsync(size, cancellationToken).ConfigureAwait(false)))
        {
        }
    }

    /// <summary>The oldest window was taken (an ordered map): it leaves, making room for the next.</summary>
    public void RetireOldest() => Retire(_open.Dequeue());

    /// <summary>One result of <paramref name="window"/> was taken; when it was its last, the window leaves.</summary>
    /// <returns>Whether the window left, so that the caller reads the next.</returns>
    public bool TakeOne(PoolWindow<TResult> window)
    {
        if (++window.Consumed < window.Job.Count)
        {
            return false;
        }

        // Windows of an unordered map leave in any order; the queue keeps the rest.
        int count = _open.Count;
        for (int i = 0; i < count; i++)
        {
            PoolWindow<TResult> open = _open.Dequeue();
            if (!ReferenceEquals(open, window))
            {
                _open.Enqueue(open);
            }
        }

        Retire(window);
        return true;
    }

    /// <summary>Cancels every window in flight (the caller stopped early, failed or timed out) and ends the input.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (PoolWindow<TResult> window in _open)
        {
            window.Job.Cancel();
        }

        _open.Clear();
        await _input.DisposeAsync().ConfigureAwait(false);
    }

    private int? NextSize() => _exhausted || _active >= _maxActive ? null : Math.Min(_windowSize, _maxActive - _active);

    private bool Open(PoolJob<TResult>? job)
    {
        if (job is null)
        {
            _exhausted = true;
            return false;
        }

        var window = new PoolWindow<TResult>(job, _read);
        if (_ended is { } ended)
        {
            job.TaskEnded = (position, error) => ended.Writer.TryWrite((window, position, error));
        }

        _read += job.Count;
        _active += job.Count;
        _open.Enqueue(window);
        _submit(job);
        return true;
    }

    private void Retire(PoolWindow<TResult> window)
    {
        _active -= window.Job.Count;
        _taken += window.Job.Count;
        AnyCancelled |= window.Job.IsCancellationRequested;
        _input.Progress?.Report(new PoolProgress((int)Math.Min(_taken, int.MaxValue), (int)Math.Min(_read, int.MaxValue)));
    }
}
