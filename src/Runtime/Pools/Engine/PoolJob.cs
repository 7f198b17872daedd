using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>
/// One call into a pool (a <c>Map</c>, a <c>Submit</c>…): <see cref="Count"/> tasks identified by their position,
/// which is also their input index. The job counts the tasks that have ended and completes when all have; the
/// subclass stores results, and <see cref="TaskEnded"/> lets a consumer see each task end as it happens.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A CancellationTokenSource without a timer holds nothing to release, and its token must stay usable after the work ends.")]
internal abstract class PoolJob
{
    private const int Pending = 0;
    private const int Running = 1;
    private const int CancelledBeforeStart = 2;

    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IProgress<PoolProgress>? _progress;
    private readonly int _progressStep;
    private CancellationTokenRegistration _callerRegistration;
    private CancellationTokenRegistration _poolRegistration;
    private SortedDictionary<int, Exception>? _errors;
    private Dictionary<int, int>? _retriesUsed;
    private int _remaining;
    private int _progressCount;
    private int _progressFailed;
    private int _state;
    private PoolSlotLease? _lease;

    protected PoolJob(int count, IProgress<PoolProgress>? progress)
    {
        Count = count;
        _remaining = count;
        _progress = progress;

        // Bounds the number of reports for very large jobs: a progress sink is a UI, not a log.
        _progressStep = Math.Max(1, count / 1000);
    }

    /// <summary>The number of tasks.</summary>
    public int Count { get; }

    /// <summary>
    /// Whether the tasks run in another process, as encoded arguments and results; only such a job's single task may
    /// be posted straight to an idle worker (see <see cref="IDirectPoolWorker"/>). Thread jobs run here.
    /// </summary>
    public virtual bool RunsInAnotherProcess => false;

    /// <summary>What runs, as insights and the dashboard show it: the method's name, or <c>delegate</c> for a thread job.</summary>
    public virtual string TaskName => "delegate";

    /// <summary>Signalled when the job is cancelled: by its caller, by a timeout, or by the pool terminating.</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Whether tasks that have not started yet will be skipped.</summary>
    public bool IsCancellationRequested => _cancellation.IsCancellationRequested;

    /// <summary>Completes (never faults) when every task has ended: succeeded, failed or cancelled.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The slot whose worker the job's single task was lent to, so that a waiting caller collects it; or <see langword="null"/>.</summary>
    public PoolSlotLease? Lease
    {
        get => Volatile.Read(ref _lease);
        set => Volatile.Write(ref _lease, value);
    }

    /// <summary>Called once per task as it ends, with its error (<see langword="null"/> on success), on the reporting thread.</summary>
    public Action<int, Exception?>? TaskEnded { get; set; }

    /// <summary>Links the job to its caller's token and to the pool's termination, and completes an empty job.</summary>
    public void Attach(CancellationToken callerToken, CancellationToken poolTermination)
    {
        _callerRegistration = callerToken.UnsafeRegister(static job => ((PoolJob)job!).Cancel(), this);
        _poolRegistration = poolTermination.UnsafeRegister(static job => ((PoolJob)job!).Cancel(), this);
        if (Count == 0)
        {
            Complete();
        }
    }

    /// <summary>Cancels every task that has not started; running tasks see <see cref="CancellationToken"/>.</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <summary>Cancels the job only if none of its tasks has started (a future's <c>Cancel()</c>).</summary>
    public bool TryCancelBeforeStart()
    {
        if (Interlocked.CompareExchange(ref _state, CancelledBeforeStart, Pending) == Running)
        {
            return false;
        }

        _cancellation.Cancel();
        return true;
    }

    /// <summary>Whether any task of the job has started running.</summary>
    public bool HasStarted => Volatile.Read(ref _state) == Running;

    /// <summary>Called by a worker before it runs a task: <see langword="false"/> means skip it, the job is cancelled.</summary>
    public bool TryStartTask()
    {
        if (_cancellation.IsCancellationRequested)
        {
            return false;
        }

        // Read first so that workers of a running job do not all write the same cache line for every task.
        return Volatile.Read(ref _state) == Running
            || Interlocked.CompareExchange(ref _state, Running, Pending) != CancelledBeforeStart;
    }

    /// <summary>Records the end of the task at <paramref name="position"/>; its result, if any, is already stored.</summary>
    public void OnTaskEnded(int position, Exception? error)
    {
        if (error is not null)
        {
            lock (_completion)
            {
                _errors ??= [];
                _errors.Add(position, error);
            }
        }

        TaskEnded?.Invoke(position, error);
        CountProgress(1, error is null or OperationCanceledException ? 0 : 1);
    }

    /// <summary>
    /// Records the end of the <paramref name="count"/> tasks from <paramref name="start"/> (a batch): their results are
    /// stored, <paramref name="errors"/> holds the failed ones by offset from <paramref name="start"/>, ascending.
    /// </summary>
    public void OnTasksEnded(int start, int count, IReadOnlyList<(int Offset, Exception Error)> errors)
    {
        if (errors.Count > 0)
        {
            lock (_completion)
            {
                _errors ??= [];
                foreach ((int offset, Exception error) in errors)
                {
                    _errors.Add(start + offset, error);
                }
            }
        }

        if (TaskEnded is { } taskEnded)
        {
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                Exception? error = next < errors.Count && errors[next].Offset == i ? errors[next++].Error : null;
                taskEnded(start + i, error);
            }
        }

        CountProgress(count, _progress is null ? 0 : Failures(errors));
    }

    private static int Failures(IReadOnlyList<(int Offset, Exception Error)> errors)
    {
        int failed = 0;
        foreach ((_, Exception error) in errors)
        {
            failed += error is OperationCanceledException ? 0 : 1;
        }

        return failed;
    }

    private void CountProgress(int count, int failed)
    {
        if (_progress is null)
        {
            return;
        }

        if (failed > 0)
        {
            Interlocked.Add(ref _progressFailed, failed);
        }

        // One report per step crossed (at most about 1,000 per job), and one at the end.
        int done = Interlocked.Add(ref _progressCount, count);
        if (done / _progressStep != (done - count) / _progressStep || done == Count)
        {
            _progress.Report(new PoolProgress(done, Count) { Failed = Volatile.Read(ref _progressFailed) });
        }
    }

    /// <summary>Counts <paramref name="count"/> ended tasks (reported through <see cref="OnTaskEnded"/> before).</summary>
    public void CountEnded(int count)
    {
        if (count > 0 && Interlocked.Add(ref _remaining, -count) == 0)
        {
            Complete();
        }
    }

    /// <summary>Takes one retry for the task at <paramref name="position"/> if it has any left.</summary>
    public bool TryUseRetry(int position, int retries)
    {
        lock (_completion)
        {
            _retriesUsed ??= [];
            _retriesUsed.TryGetValue(position, out int used);
            if (used >= retries)
            {
                return false;
            }

            _retriesUsed[position] = used + 1;
            return true;
        }
    }

    /// <summary>The errors of the failed tasks, by input index; read after <see cref="Completion"/>.</summary>
    public IReadOnlyCollection<KeyValuePair<int, Exception>> Errors
    {
        get
        {
            lock (_completion)
            {
                return _errors is null ? [] : [.. _errors];
            }
        }
    }

    /// <summary>The error of the task at <paramref name="position"/>, or <see langword="null"/>.</summary>
    public Exception? ErrorAt(int position)
    {
        lock (_completion)
        {
            return _errors is not null && _errors.TryGetValue(position, out Exception? error) ? error : null;
        }
    }

    private void Complete()
    {
        _callerRegistration.Dispose();
        _poolRegistration.Dispose();
        _completion.TrySetResult();
    }
}

/// <summary>A job whose tasks produce <typeparamref name="TResult"/> values, stored by position.</summary>
internal abstract class PoolJob<TResult>(int count, IProgress<PoolProgress>? progress) : PoolJob(count, progress)
{
    /// <summary>The results by position; an entry is valid once its task ended without an error.</summary>
    public TResult[] Results { get; } = count == 0 ? [] : new TResult[count];
}

/// <summary>A job a worker runs in this process: a thread of a <see cref="ThreadPoolExecutor"/>.</summary>
internal interface ILocalPoolWork
{
    /// <summary>Runs the task at <paramref name="position"/> and stores its result; throws the task's exception.</summary>
    void Run(int position);
}
