using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using System.Threading;
using System;
using ParallelDsl.GeneratedSupport;
using ParallelDsl.Wire;

namespace ParallelDsl;

/// <summary>
/// Adapts a frame channel to <see cref="IPoolWorker"/>. It keeps two tasks in flight, so the worker starts the next
/// task while the parent reads the last result; because the worker runs them in order, the first unanswered task
/// is still the one it holds when it dies, and the one behind it has not started. Over a channel with a lane
/// (<see cref="IPoolWorkerChannel.Lane"/>) it also posts and collects single tasks there (<see cref="IDirectPoolWorker"/>).
/// </summary>
/// <param name="channel">The connection to the worker.</param>
/// <param name="sendsBatches">Whether chunks travel as <see cref="ProcessBatch"/> frames, which the worker's dispatch table must know.</param>
internal sealed class ChannelPoolWorker(IPoolWorkerChannel channel, bool sendsBatches = false) : IDirectPoolWorker
{
    private const int InFlight = 2;

    private readonly IPoolLaneChannel? _laneChannel = channel.Lane;

    /// <summary>The lane itself, held directly: entering, leaving and watching it are the calls a waiting submitter repeats.</summary>
    private readonly PoolLane? _lane = channel.Lane?.Lane;

    /// <summary>One lane task in this many has its encoding and decoding timed for the insights.</summary>
    private const int LaneTimingSample = 32;

    private readonly ArrayBufferWriter<byte> _arguments = new();
    private LaneResultReader<Exception?>? _readLaneResult;
    private PoolChunk? _collecting;
    private bool _timesLaneTask;
    private int _laneTasks;
    private readonly PoolBatchSizer _batchSize = new();
    private readonly ProcessBatchErrors _batchErrors = new();
    private ulong _batchMethodId;
    private long _lastTaskId;

    public string Name => channel.Name;

    public int? ProcessId => channel.ProcessId;

    public Task Exited => channel.Exited;

    public async ValueTask RunAsync(PoolChunk chunk, CancellationToken abort)
    {
        if (chunk.Job is not IEncodedPoolWork work)
        {
            throw new InvalidOperationException($"A worker process cannot run a {chunk.Job.GetType().Name}: it runs only [RunInProcess] methods.");
        }

        if (sendsBatches && work.CanBatch && !chunk.RunsSingly && chunk.Remaining > 1)
        {
            await RunBatchesAsync(work, chunk, abort).ConfigureAwait(false);
            return;
        }

        var sent = new Queue<long>(InFlight);
        int nextToSend = chunk.NextPosition;
        int end = chunk.Start + chunk.Count;
        bool stopSending = false;
        while (true)
        {
            while (!stopSending && sent.Count < InFlight && nextToSend < end)
            {
                if (!chunk.Job.TryStartTask())
                {
                    stopSending = true;
                    break;
                }

                sent.Enqueue(await SendAsync(work, chunk.Insights, nextToSend, isFirst: nextToSend == chunk.NextPosition && sent.Count == 0, abort).ConfigureAwait(false));
                nextToSend++;
            }

            if (sent.Count == 0)
            {
                return;
            }

            PoolResultFrame result = await channel.ReceiveAsync(abort).ConfigureAwait(false);
            long expected = sent.Dequeue();
            if (result.TaskId != expected)
            {
                throw new InvalidDataException($"Worker '{Name}' answered task {result.TaskId} while task {expected} was due.");
            }

            chunk.ReportNext(result.Error ?? Decode(work, chunk.Insights, chunk.NextPosition, result.Payload.Span));
        }
    }

    public ValueTask DisposeAsync() => channel.DisposeAsync();

    public ProcessTerminatedException? DescribeExit() => channel.DescribeExit();

    public long? ResidentBytes() => channel.ResidentBytes();

    /// <summary>Whether the worker has a lane, so that its slot may be lent to a submitting thread.</summary>
    public bool HasLane => _laneChannel is not null;

    public bool TookPostedTask => _laneChannel!.TookTask;

    public int Bell => _lane!.Bell;

    public bool TryPost(PoolChunk chunk)
    {
        if (_laneChannel is null || chunk.Job is not IEncodedPoolWork work)
        {
            return false;
        }

        // A single task's encoding and decoding take well under a microsecond: timing each would cost a noticeable
        // share of its round trip, so one lane task in LaneTimingSample is timed and counts for that many.
        _timesLaneTask = chunk.Insights is not null && ++_laneTasks % LaneTimingSample == 0;
        long encoding = _timesLaneTask ? Stopwatch.GetTimestamp() : 0;
        try
        {
            _arguments.ResetWrittenCount();
            work.WriteArguments(chunk.NextPosition, _arguments);
            if (_timesLaneTask)
            {
                chunk.Insights!.Encoded(encoding, LaneTimingSample);
            }
        }
        catch (Exception)
        {
            // The slot thread's path encodes it again and reports the error as the task's.
            return false;
        }

        return _laneChannel.TryPost(new PoolTaskFrame(++_lastTaskId, work.MethodId, _arguments.WrittenMemory));
    }

    public PostedResult Peek() => _laneChannel!.Peek() switch
    {
        LaneResult.Pending => PostedResult.Pending,
        LaneResult.Ready => PostedResult.Ready,
        _ => PostedResult.InChannel,
    };

    public Exception? Collect(PoolChunk chunk)
    {
        _collecting = chunk;
        try
        {
            return _laneChannel!.TakeResult(_readLaneResult ??= ReadLaneResult);
        }
        catch (Exception ex) when (ex is IOException or ProtocolException)
        {
            throw new PoolWorkerLostException($"Worker '{Name}' was lost while its result came through its channel: {ex.Message}", ex);
        }
        finally
        {
            _collecting = null;
        }
    }

    /// <summary>Reads the lane task's result into the job of <see cref="_collecting"/> (one delegate for every collect: no closure per task).</summary>
    private Exception? ReadLaneResult(ReadOnlySpan<byte> body, long taskId)
    {
        PoolChunk chunk = _collecting!;
        var work = (IEncodedPoolWork)chunk.Job;
        int position = chunk.NextPosition;
        ReadOnlySpan<byte> payload;
        ulong answered;
        bool isSuccess;
        try
        {
            payload = TaskResult.ReadBody(body, out answered, out isSuccess);
        }
        catch (ProtocolException ex)
        {
            return new InvalidDataException($"Worker '{Name}' answered the task at input index {position} with a malformed result: {ex.Message}", ex);
        }

        if ((long)answered != taskId)
        {
            return new InvalidDataException($"Worker '{Name}' answered task {answered} while task {taskId} was due.");
        }

        return isSuccess ? Decode(work, _timesLaneTask ? chunk.Insights : null, position, payload, LaneTimingSample) : TaskResult.ReadError(payload).ToException();
    }

    public bool TryEnterLane() => _lane!.TryEnter();

    public void ExitLane() => _lane!.Exit();

    public void BeginWatch() => _lane!.BeginWatch();

    public void EndWatch() => _lane!.EndWatch();

    public void WaitForBell(int observed) => _lane!.WaitForBell(observed);

    public void Ring()
    {
        if (_lane is { } lane && lane.TryEnter())
        {
            try
            {
                lane.Ring();
            }
            finally
            {
                lane.Exit();
            }
        }
    }

    public Exception DescribeLoss() => _laneChannel!.DescribeLoss();

    /// <summary>
    /// Sends the chunk's tasks in batches (<see cref="ProcessBatch"/>), two batches in flight, sized by
    /// <see cref="PoolBatchSizer"/>. A worker that dies during a batch has left its tasks unreported without saying
    /// which one it held: that is reported as <see cref="PoolBatchInterruptedException"/>, and the engine runs them
    /// again one per frame.
    /// </summary>
    private async ValueTask RunBatchesAsync(IEncodedPoolWork work, PoolChunk chunk, CancellationToken abort)
    {
        if (_batchMethodId != work.MethodId)
        {
            _batchMethodId = work.MethodId;
            _batchSize.Reset();
        }

        var sent = new Queue<(long TaskId, int Count, int ArgumentBytes, long SentAt)>(InFlight);
        int nextToSend = chunk.NextPosition;
        int end = chunk.Start + chunk.Count;
        long headSince = 0;
        Exception? unencodable = null;
        while (true)
        {
            if (unencodable is null && sent.Count < InFlight && nextToSend < end && chunk.Job.TryStartTask())
            {
                int count = Math.Min(_batchSize.Size, end - nextToSend);
                long encoding = Stopwatch.GetTimestamp();
                unencodable = WriteBatch(work, nextToSend, ref count);
                chunk.Insights?.Encoded(encoding);
                if (count > 0)
                {
                    long taskId = await SendFrameAsync(ProcessBatch.MethodId, isFirst: sent.Count == 0 && nextToSend == chunk.NextPosition, abort).ConfigureAwait(false);
                    sent.Enqueue((taskId, count, _arguments.WrittenCount, Stopwatch.GetTimestamp()));
                    nextToSend += count;
                }

                continue;
            }

            if (sent.Count == 0)
            {
                if (unencodable is null)
                {
                    return;
                }

                // The task whose argument cannot cross fails alone, once the tasks before it are reported.
                chunk.ReportNext(unencodable);
                unencodable = null;
                nextToSend++;
                continue;
            }

            (long expected, int batch, int argumentBytes, long batchSentAt) = sent.Dequeue();
            PoolResultFrame result;
            try
            {
                result = await channel.ReceiveAsync(abort).ConfigureAwait(false);
            }
            catch (Exception ex) when (!abort.IsCancellationRequested)
            {
                throw new PoolBatchInterruptedException($"Worker '{Name}' was lost during a batch of {batch} tasks: {ex.Message}", ex);
            }

            if (result.TaskId != expected)
            {
                throw new InvalidDataException($"Worker '{Name}' answered task {result.TaskId} while task {expected} was due.");
            }

            // The worker could start this batch once it was sent and the one before it had been answered.
            long received = Stopwatch.GetTimestamp();
            _batchSize.Observe(batch, Stopwatch.GetElapsedTime(Math.Max(batchSentAt, headSince), received), Math.Max(argumentBytes, result.Payload.Length));
            headSince = received;
            ReportBatch(work, chunk, batch, result);
        }
    }

    /// <summary>
    /// Encodes the batch of <paramref name="count"/> tasks from <paramref name="start"/> into <see cref="_arguments"/>.
    /// When an argument cannot be encoded (a value of a derived type, say), the batch is cut before its task, which
    /// may leave it empty, and that task's error is returned.
    /// </summary>
    private Exception? WriteBatch(IEncodedPoolWork work, int start, ref int count)
    {
        try
        {
            WriteBatchArguments(work, start, count);
            return null;
        }
        catch (Exception)
        {
            var probe = new ArrayBufferWriter<byte>();
            for (int i = 0; i < count; i++)
            {
                try
                {
                    probe.ResetWrittenCount();
                    work.WriteArguments(start + i, probe);
                }
                catch (Exception error)
                {
                    count = i;
                    if (count > 0)
                    {
                        WriteBatchArguments(work, start, count);
                    }

                    return error;
                }
            }

            throw;
        }
    }

    private void WriteBatchArguments(IEncodedPoolWork work, int start, int count)
    {
        _arguments.ResetWrittenCount();
        ProcessBatch.WriteHead(_arguments, work.MethodId, count);
        work.WriteArguments(start, count, _arguments);
    }

    /// <summary>Stores and reports a batch's outcomes; a malformed batch result fails every task of the batch, with the reason.</summary>
    private void ReportBatch(IEncodedPoolWork work, PoolChunk chunk, int count, PoolResultFrame result)
    {
        int start = chunk.NextPosition;
        Exception? batchError = result.Error;
        if (batchError is null)
        {
            long decoding = Stopwatch.GetTimestamp();
            try
            {
                ReadOutcomes(work, start, count, result.Payload.Span, _batchErrors);
                chunk.Insights?.Decoded(decoding);
            }
            catch (Exception ex)
            {
                // Whatever was stored before the decoder stopped is not trusted: every task of the batch fails.
                batchError = new InvalidDataException(
                    $"The batch result of {work.MethodName} for the tasks at input indexes {start} to {start + count - 1} could not be decoded: {ex.Message}", ex);
            }
        }

        if (batchError is null)
        {
            chunk.ReportRange(count, _batchErrors.Items);
            return;
        }

        // The batch failed as a whole: in the worker (the method is unknown there, say), or its result is malformed.
        var errors = new (int Offset, Exception Error)[count];
        for (int i = 0; i < count; i++)
        {
            errors[i] = (i, batchError);
        }

        chunk.ReportRange(count, errors);
    }

    private ValueTask<long> SendAsync(IEncodedPoolWork work, PoolSlotInsights? insights, int position, bool isFirst, CancellationToken abort)
    {
        long encoding = Stopwatch.GetTimestamp();
        _arguments.ResetWrittenCount();
        work.WriteArguments(position, _arguments);
        insights?.Encoded(encoding);
        return SendFrameAsync(work.MethodId, isFirst, abort);
    }

    /// <summary>Sends what <see cref="_arguments"/> holds as one task frame of <paramref name="methodId"/>.</summary>
    private async ValueTask<long> SendFrameAsync(ulong methodId, bool isFirst, CancellationToken abort)
    {
        long taskId = ++_lastTaskId;
        try
        {
            await channel.SendAsync(new PoolTaskFrame(taskId, methodId, _arguments.WrittenMemory), abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (isFirst && !abort.IsCancellationRequested)
        {
            throw new PoolWorkerUnavailableException($"Worker '{Name}' could not take a task: {ex.Message}", ex);
        }

        return taskId;
    }

    /// <summary>Stores the decoded result; a result that cannot be decoded is that task's error, not the worker's death.</summary>
    private static InvalidDataException? Decode(IEncodedPoolWork work, PoolSlotInsights? insights, int position, ReadOnlySpan<byte> payload, int weight = 1)
    {
        long decoding = insights is null ? 0 : Stopwatch.GetTimestamp();
        try
        {
            work.ReadResult(position, payload);
            insights?.Decoded(decoding, weight);
            return null;
        }
        catch (Exception ex)
        {
            return new InvalidDataException($"The result of {work.MethodName} for the task at input index {position} could not be decoded: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks that a batch's result frame holds <paramref name="count"/> outcomes and decodes them into the job. Throws
    /// <see cref="ProtocolException"/> or <see cref="WireFormatException"/> when it is malformed.
    /// </summary>
    private static void ReadOutcomes(IEncodedPoolWork work, int start, int count, ReadOnlySpan<byte> payload, ProcessBatchErrors errors)
    {
        ReadOnlySpan<byte> outcomes = ProcessBatch.Outcomes(payload, count);
        errors.Clear();
        work.ReadResults(start, count, outcomes, errors);
    }
}
