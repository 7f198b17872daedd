using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Cluster.Wire;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl.Cluster.Client;

/// <summary>
/// One slot of a <see cref="ClusterPool"/> as the pool engine sees a worker: it publishes its chunk's tasks in
/// batches to the task queue, two batches in flight, and reports each batch's outcomes in order when the answer
/// comes. Which worker program runs a batch is the broker's business; a worker program that dies does not end the
/// slot, because the broker delivers its batch again. The slot ends only when the pool is terminated or disposed.
/// </summary>
internal sealed class BrokerPoolWorker(ClusterClient client, string name) : IPoolWorker
{
    private const int InFlight = 2;

    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> _arguments = new();
    private readonly ProcessBatchErrors _errors = new();

    public string Name { get; } = name;

    public int? ProcessId => null;

    public Task Exited => _exited.Task;

    public async ValueTask RunAsync(PoolChunk chunk, CancellationToken abort)
    {
        if (chunk.Job is not IEncodedPoolWork work)
        {
            throw new InvalidOperationException($"A cluster pool cannot run a {chunk.Job.GetType().Name}: it runs only [RunInProcess] methods.");
        }

        if (MachineBoundArguments.Check(chunk.Job, work.MethodName) is { } machineBound)
        {
            // Nothing is published: shared memory, queues and pipes are handles to this machine.
            chunk.FailRemaining(_ => machineBound);
            return;
        }

        long jobId = JobIds.Of(chunk.Job);
        using CancellationTokenRegistration onCancel = chunk.Job.CancellationToken.Register(
            static state => ((Func<Task>)state!)(), (Func<Task>)(() => client.CancelJobAsync(jobId)));
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(abort, chunk.Job.CancellationToken);
        var sent = new Queue<(PendingBatch Batch, int Count)>(InFlight);
        int nextToSend = chunk.NextPosition;
        int end = chunk.Start + chunk.Count;
        try
        {
            while (true)
            {
                while (sent.Count < InFlight && nextToSend < end && chunk.Job.TryStartTask())
                {
                    int count = Math.Min(client.Options.EffectiveMaxBatchTasks, end - nextToSend);
                    ((PendingBatch Batch, int Count)? batch, Exception? unsendable) = Publish(work, jobId, nextToSend, count, abort);
                    if (batch is null)
                    {
                        if (sent.Count > 0)
                        {
                            // Report the batches before it first: reports go in order.
                            break;
                        }

                        chunk.ReportNext(unsendable);
                        nextToSend++;
                        continue;
                    }

                    sent.Enqueue((batch.Value.Batch, batch.Value.Count));
                    nextToSend += batch.Value.Count;
                }

                if (sent.Count == 0)
                {
                    return;
                }

                (PendingBatch head, int headCount) = sent.Peek();
                ClusterMessage answer;
                try
                {
                    answer = await head.Answer.WaitAsync(waitEnds.Token).ConfigureAwait(false);
                }
                catch (TimeoutException expired) when (head.Answer.IsFaulted)
                {
                    // The client gave the batch up at its tasks' expiry: its tasks fail, the slot goes on.
                    sent.Dequeue();
                    ReportAll(chunk, headCount, expired);
                    continue;
                }

                sent.Dequeue();
                Report(work, chunk, headCount, head, answer);
            }
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested && chunk.Job.IsCancellationRequested)
        {
            // The caller stops waiting (a cancellation or the call's timeout): batches not answered yet end as cancelled
            // now; a worker that had started one finishes it, and its answer is dropped.
            await client.CancelJobAsync(jobId).ConfigureAwait(false);
            foreach ((PendingBatch batch, int count) in sent)
            {
                client.Forget(batch);
                ReportCancelled(chunk, count);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            await client.CancelJobAsync(jobId).ConfigureAwait(false);
            foreach ((PendingBatch batch, _) in sent)
            {
                client.Forget(batch);
            }

            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _exited.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Starts the publish of up to <paramref name="count"/> tasks from <paramref name="start"/> as one batch, halving it while it is
    /// over the message size limit. A single task too large to send is returned as that task's error.
    /// </summary>
    private ((PendingBatch Batch, int Count)? Sent, Exception? Unsendable) Publish(IEncodedPoolWork work, long jobId, int start, int count, CancellationToken abort)
    {
        if (!work.CanBatch)
        {
            return (null, new NotSupportedException($"{work.MethodName} has no batch codecs, which a cluster pool needs to send its tasks."));
        }

        while (true)
        {
            _arguments.ResetWrittenCount();
            try
            {
                work.WriteArguments(start, count, _arguments);
            }
            catch (Exception ex) when (count == 1)
            {
                return (null, ex);
            }
            catch (Exception)
            {
                count = 1;
                continue;
            }

            try
            {
                PendingBatch batch = client.Publish(jobId, work, start, count, _arguments.WrittenMemory, abort);
                return ((batch, count), null);
            }
            catch (ClusterMessageException ex) when (count == 1)
            {
                return (null, ex);
            }
            catch (ClusterMessageException)
            {
                count = Math.Max(1, count / 2);
            }
        }
    }

    private static void ReportCancelled(PoolChunk chunk, int count) =>
        ReportAll(chunk, count, new OperationCanceledException("The task was cancelled before its answer came.", chunk.Job.CancellationToken));

    /// <summary>Stores and reports the answer to a batch of <paramref name="count"/> tasks at the chunk's next position.</summary>
    private void Report(IEncodedPoolWork work, PoolChunk chunk, int count, PendingBatch batch, ClusterMessage answer)
    {
        int start = chunk.NextPosition;
        Exception? batchError = answer.Kind switch
        {
            ClusterMessageKind.Outcomes => null,
            ClusterMessageKind.Skipped => new OperationCanceledException("The task was cancelled before a worker started it.", chunk.Job.CancellationToken),
            ClusterMessageKind.Poisoned => new PoisonTaskException(work.MethodName, start, count, answer.Deliveries, batch.Deaths, answer.Pid == 0 ? answer.Text : $"the worker on {answer.Host}"),
            _ => new RemoteException("ParallelDsl.Cluster.ClusterWorkerException", answer.Text, string.Empty, answer.Pid, answer.Host),
        };
        if (batchError is null)
        {
            _errors.Clear();
            try
            {
                work.ReadResults(start, count, answer.Payload.Span, _errors);
                chunk.ReportRange(count, _errors.Items);
                return;
            }
            catch (Exception ex)
            {
                batchError = new System.IO.InvalidDataException(
                    $"The batch result of {work.MethodName} for the tasks at input indexes {start} to {start + count - 1}, from {answer.Host} (pid {answer.Pid}), could not be decoded: {ex.Message}", ex);
            }
        }

        ReportAll(chunk, count, batchError);
    }

    private static void ReportAll(PoolChunk chunk, int count, Exception error)
    {
        var errors = new (int Offset, Exception Error)[count];
        for (int i = 0; i < count; i++)
        {
            errors[i] = (i, error);
        }

        chunk.ReportRange(count, errors);
    }
}

/// <summary>Gives every job a number for cluster messages, stable for the job's lifetime.</summary>
internal static class JobIds
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PoolJob, object> Ids = new();
    private static long s_last;

    public static long Of(PoolJob job) => (long)Ids.GetValue(job, static _ => Interlocked.Increment(ref s_last));
}

/// <summary>Starts the slots of a cluster pool: nothing to start remotely, the worker programs serve the queue.</summary>
internal sealed class BrokerPoolWorkerFactory(ClusterClient client, string poolName) : IPoolWorkerFactory
{
    public ValueTask<IPoolWorker> StartAsync(int number, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IPoolWorker>(new BrokerPoolWorker(client, $"{poolName}-slot-{number}"));
}
