using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelDsl;

/// <summary>A task frame: run method <see cref="MethodId"/> on <see cref="Arguments"/> and answer with <see cref="TaskId"/>.</summary>
/// <param name="TaskId">An id, unique per worker connection, that the result frame repeats.</param>
/// <param name="MethodId">The method's stable id in the dispatch table.</param>
/// <param name="Arguments">The encoded arguments; only valid during the send (the buffer is reused).</param>
internal readonly record struct PoolTaskFrame(long TaskId, ulong MethodId, ReadOnlyMemory<byte> Arguments);

/// <summary>A result frame: the answer to the task frame <see cref="TaskId"/>.</summary>
/// <param name="TaskId">The id of the task frame it answers.</param>
/// <param name="Payload">The encoded result, when the task succeeded.</param>
/// <param name="Error">The task's exception (a <c>RemoteException</c> rebuilt from an error frame), or <see langword="null"/>.</param>
internal readonly record struct PoolResultFrame(long TaskId, ReadOnlyMemory<byte> Payload, Exception? Error);

/// <summary>
/// The connection to one worker, as a transport offers it: task frames out, result frames back, in order, over
/// one connection (local pipes or sockets today; a broker queue pair later). The worker runs its tasks one at a time.
/// </summary>
internal interface IPoolWorkerChannel : IAsyncDisposable
{
    /// <summary>The worker's name.</summary>
    string Name { get; }

    /// <summary>The worker's process id, when it is a process.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the worker has ended.</summary>
    Task Exited { get; }

    /// <summary>Sends one task frame; throws when the worker is gone or <paramref name="cancellationToken"/> is signalled.</summary>
    ValueTask SendAsync(PoolTaskFrame task, CancellationToken cancellationToken);

    /// <summary>Receives the next result frame; throws when the worker is gone or <paramref name="cancellationToken"/> is signalled.</summary>
    ValueTask<PoolResultFrame> ReceiveAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Adapts a frame channel to <see cref="IPoolWorker"/>. It keeps two tasks in flight, so the worker starts the next
/// task while the parent reads the last result; because the worker runs them in order, the first unanswered task
/// is still the one it holds when it dies, and the one behind it has not started.
/// </summary>
internal sealed class ChannelPoolWorker(IPoolWorkerChannel channel) : IPoolWorker
{
    private const int InFlight = 2;

    private readonly ArrayBufferWriter<byte> _arguments = new();
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

                sent.Enqueue(await SendAsync(work, nextToSend, isFirst: nextToSend == chunk.NextPosition && sent.Count == 0, abort).ConfigureAwait(false));
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

            chunk.ReportNext(result.Error ?? Decode(work, chunk.NextPosition, result.Payload.Span));
        }
    }

    public ValueTask DisposeAsync() => channel.DisposeAsync();

    private async ValueTask<long> SendAsync(IEncodedPoolWork work, int position, bool isFirst, CancellationToken abort)
    {
        _arguments.ResetWrittenCount();
        work.WriteArguments(position, _arguments);
        long taskId = ++_lastTaskId;
        try
        {
            await channel.SendAsync(new PoolTaskFrame(taskId, work.MethodId, _arguments.WrittenMemory), abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (isFirst && !abort.IsCancellationRequested)
        {
            throw new PoolWorkerUnavailableException($"Worker '{Name}' could not take a task: {ex.Message}", ex);
        }

        return taskId;
    }

    /// <summary>Stores the decoded result; a result that cannot be decoded is that task's error, not the worker's death.</summary>
    private static InvalidDataException? Decode(IEncodedPoolWork work, int position, ReadOnlySpan<byte> payload)
    {
        try
        {
            work.ReadResult(position, payload);
            return null;
        }
        catch (Exception ex)
        {
            return new InvalidDataException($"The result of {work.MethodName} for the task at input index {position} could not be decoded: {ex.Message}", ex);
        }
    }
}
