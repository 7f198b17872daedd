using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Cluster.Broker;
using ParallelDsl.Cluster.Wire;
using ParallelDsl.GeneratedSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace ParallelDsl.Cluster.Worker;

/// <summary>
/// The worker program of a cluster: the user's program started with <c>--paralleldsl-worker amqp://…</c>. It takes
/// signed task batches from the queue (a bounded number prefetched), runs each in its own local worker processes,
/// publishes the outcomes to the client's reply queue and only then acknowledges the batch. On SIGTERM it takes no
/// more batches, returns the ones it has not started to the queue, finishes the running ones and exits.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClusterWorker : IAsyncDisposable
{
    private readonly ClusterWorkerSettings _settings;
    private readonly MessageSigner _signer;
    private readonly ProcessPool _local;
    private readonly SemaphoreSlim _running;
    private readonly CancellationTokenSource _draining = new();
    private readonly ConcurrentDictionary<(Guid Client, long Job), bool> _cancelledJobs = new();
    private readonly ConcurrentDictionary<Guid, bool> _goneClients = new();
    private readonly string _host = Environment.MachineName;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stoppedConsuming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnection? _connection;
    private IChannel? _tasks;
    private IChannel? _answers;
    private string? _consumerTag;
    private int _inHand;

    private ClusterWorker(ClusterWorkerSettings settings)
    {
        _settings = settings;
        _signer = new MessageSigner(settings.Options.Validate(), settings.Options.MaxMessageBytes);
        // Named after the host, so a task's RemoteException names the machine as well as the process.
        _local = new ProcessPool($"{_host}/{settings.Options.Queue}", ProcessPoolWorkers.CreateFactory, workers: settings.Concurrency);
        _running = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
    }

    /// <summary>
    /// Makes <see cref="MainGuard.Enter"/> recognise the cluster worker switch. Called by the module initializer the
    /// ParallelDsl generator writes into a program that references ParallelDsl.Cluster.
    /// </summary>
    public static void Register() => MainGuard.RegisterWorkerRole(Run);

    /// <summary>Runs the worker program when <paramref name="args"/> or the environment ask for it; else <see langword="null"/>.</summary>
    internal static int? Run(string[] args)
    {
        ClusterWorkerSettings? settings;
        try
        {
            settings = ClusterWorkerSettings.From(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"ParallelDsl cluster worker: {ex.Message}");
            return 64;
        }

        if (settings is null)
        {
            return null;
        }

        return RunAsync(settings).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(ClusterWorkerSettings settings)
    {
        await using var worker = new ClusterWorker(settings);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            worker.BeginDrain();
        });
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            worker.BeginDrain();
        });
        try
        {
            await worker.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or AuthenticationException or OperationInterruptedException or ArgumentException)
        {
            Console.Error.WriteLine($"ParallelDsl cluster worker on {worker._host} (pid {Environment.ProcessId}): cannot serve queue '{settings.Options.Queue}' at {BrokerConnection.Redact(settings.Broker)}: {ex.Message}");
            return 3;
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ParallelDsl cluster worker on {worker._host} (pid {Environment.ProcessId}) serves queue '{settings.Options.Queue}' with {settings.Concurrency} processes"));
        await worker._drained.Task.ConfigureAwait(false);
        return 0;
    }

    /// <summary>Stops the local worker processes and closes the broker connection; what was not acknowledged returns to the queue.</summary>
    public async ValueTask DisposeAsync()
    {
        await _local.ShutdownAsync(cancelPending: true).ConfigureAwait(false);
        if (_connection is not null)
        {
            try
            {
                await _connection.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or System.IO.IOException)
            {
                // The broker is gone already; whatever was not acknowledged goes back to the queue.
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _running.Dispose();
        _draining.Dispose();
    }

    private async Task StartAsync()
    {
        ClusterOptions options = _settings.Options;
        _connection = await BrokerConnection.OpenAsync(_settings.Broker, options, $"worker@{_host}:{Environment.ProcessId}", CancellationToken.None).ConfigureAwait(false);
        _answers = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)).ConfigureAwait(false);
        _tasks = await _connection.CreateChannelAsync().ConfigureAwait(false);
        await ClusterTopology.DeclareAsync(_tasks, options, CancellationToken.None).ConfigureAwait(false);

        // Each worker hears every client's cancellations on a queue of its own.
        QueueDeclareOk control = await _tasks.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true).ConfigureAwait(false);
        await _tasks.QueueBindAsync(control.QueueName, ClusterTopology.ControlExchange(options.Queue), string.Empty).ConfigureAwait(false);
        var controlConsumer = new AsyncEventingBasicConsumer(_tasks);
        controlConsumer.ReceivedAsync += OnControlAsync;
        await _tasks.BasicConsumeAsync(control.QueueName, autoAck: true, controlConsumer).ConfigureAwait(false);

        // One batch waiting per local process beside the one it runs: enough to keep them busy, few to take back.
        await _tasks.BasicQosAsync(0, (ushort)Math.Min(ushort.MaxValue, _settings.Concurrency * 2), global: false).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(_tasks);
        consumer.ReceivedAsync += OnTaskAsync;
        _consumerTag = await _tasks.BasicConsumeAsync(options.Queue, autoAck: false, consumer).ConfigureAwait(false);
    }

    private void BeginDrain()
    {
        if (_draining.IsCancellationRequested)
        {
            return;
        }

        Console.Out.WriteLine($"ParallelDsl cluster worker on {_host} (pid {Environment.ProcessId}): stopping; unstarted batches go back to the queue");
        _draining.Cancel();
        _ = Task.Run(async () =>
        {
            try
            {
                if (_tasks is not null && _consumerTag is not null)
                {
                    await _tasks.BasicCancelAsync(_consumerTag).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException)
            {
                // Without a channel nothing more is delivered anyway.
            }

            _stoppedConsuming.TrySetResult();
            SettleIfDrained();
        });
    }

    private void SettleIfDrained()
    {
        if (_draining.IsCancellationRequested && Volatile.Read(ref _inHand) == 0)
        {
            _drained.TrySetResult();
        }
    }

    private Task OnControlAsync(object sender, BasicDeliverEventArgs delivery)
    {
        try
        {
            ClusterMessage message = _signer.Open(delivery.Body.ToArray());
            if (message.Kind == ClusterMessageKind.Cancel)
            {
                _cancelledJobs[(message.ClientId, message.JobId)] = true;
            }
        }
        catch (ClusterMessageException ex)
        {
            Console.Error.WriteLine($"ParallelDsl cluster worker on {_host}: a control message was rejected: {ex.Message}");
        }

        return Task.CompletedTask;
    }

    private Task OnTaskAsync(object sender, BasicDeliverEventArgs delivery)
    {
        // The body is only valid during this call; the batch runs after it returns, so the next one can be taken.
        Interlocked.Increment(ref _inHand);
        byte[] body = delivery.Body.ToArray();
        int deliveries = DeliveryCount(delivery.BasicProperties) + 1;
        ulong tag = delivery.DeliveryTag;
        _ = Task.Run(async () =>
        {
            try
            {
                await HandleAsync(body, deliveries, tag).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or PublishException or System.IO.IOException)
            {
                // The channel broke: the broker returns the unacknowledged batch to the queue for another worker.
                Console.Error.WriteLine($"ParallelDsl cluster worker on {_host}: the broker connection broke while a batch was in hand: {ex.Message}");
            }
            finally
            {
                Interlocked.Decrement(ref _inHand);
                SettleIfDrained();
            }
        });
        return Task.CompletedTask;
    }

    private async Task HandleAsync(byte[] body, int deliveries, ulong tag)
    {
        IChannel tasks = _tasks!;
        ClusterMessage batch;
        try
        {
            batch = _signer.Open(body);
            if (batch.Kind != ClusterMessageKind.Tasks)
            {
                throw new ClusterMessageException($"A {batch.Kind} message arrived on the task queue.");
            }
        }
        catch (ClusterMessageException ex)
        {
            // Never run: dead-lettered to the queue's .dead queue for inspection.
            Console.Error.WriteLine($"ParallelDsl cluster worker on {_host} (pid {Environment.ProcessId}): rejected a message of {body.Length} bytes on '{_settings.Options.Queue}' (dead-lettered, not run): {ex.Message}");
            await tasks.BasicRejectAsync(tag, requeue: false).ConfigureAwait(false);
            return;
        }

        if (_goneClients.ContainsKey(batch.ClientId) || batch.ExpiresAtUnixMs < DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
        {
            await tasks.BasicAckAsync(tag, multiple: false).ConfigureAwait(false);
            return;
        }

        if (_cancelledJobs.ContainsKey((batch.ClientId, batch.JobId)))
        {
            await AnswerAndAckAsync(batch, tag, ClusterMessageKind.Skipped, "cancelled", default).ConfigureAwait(false);
            return;
        }

        if (deliveries > _settings.Options.DeliveryLimit)
        {
            await AnswerAndAckAsync(batch, tag, ClusterMessageKind.Poisoned, "delivery limit reached", default, deliveries - 1).ConfigureAwait(false);
            return;
        }

        if (OtherBuild(batch) is { } otherBuild)
        {
            await AnswerAndAckAsync(batch, tag, ClusterMessageKind.BatchFailed, otherBuild, default).ConfigureAwait(false);
            return;
        }

        try
        {
            await _running.WaitAsync(_draining.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Returned only once this consumer is cancelled: else the broker would hand the batch straight back here,
            // and every return counts as a delivery towards the poison limit.
            await _stoppedConsuming.Task.ConfigureAwait(false);
            await tasks.BasicNackAsync(tag, multiple: false, requeue: true).ConfigureAwait(false);
            return;
        }

        // The answer's confirm and the acknowledgement after it are awaited once the local process is free for the next batch.
        Task settled;
        try
        {
            settled = await RunAsync(batch, tag, deliveries).ConfigureAwait(false);
        }
        finally
        {
            _running.Release();
        }

        await settled.ConfigureAwait(false);
    }

    /// <summary>
    /// Why this worker's build cannot run <paramref name="batch"/>: it has no method with the batch's id, or its codecs
    /// encode the method's arguments or result differently from the caller's (another shape id); <see langword="null"/>
    /// when it can. Decided before any argument is decoded, so bytes of another layout are never read.
    /// </summary>
    private string? OtherBuild(ClusterMessage batch)
    {
        if (!ProcessDispatch.TryGet(batch.MethodId, out ProcessMethod? method))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"The worker program on {_host} (pid {Environment.ProcessId}) has no method {batch.MethodName} (id 0x{batch.MethodId:X16}): it was built from different source than the client; start workers from the client's build.");
        }

        return method.ShapeId == batch.ShapeId
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"The worker program on {_host} (pid {Environment.ProcessId}) was built from different source than the client: the worker's build encodes {batch.MethodName} differently: shape 0x{method.ShapeId:X16} here, 0x{batch.ShapeId:X16} at the caller; deploy the same build to every worker.");
    }

    /// <summary>Runs a batch in a local process and starts its answer; returns what ends with the answer confirmed and the batch settled.</summary>
    private async Task<Task> RunAsync(ClusterMessage batch, ulong tag, int deliveries)
    {
        if (_cancelledJobs.ContainsKey((batch.ClientId, batch.JobId)))
        {
            return AnswerAndAckAsync(batch, tag, ClusterMessageKind.Skipped, "cancelled", default);
        }

        byte[] outcomes;
        try
        {
            outcomes = await _local.RunEncodedBatchAsync(batch.MethodId, batch.Payload, batch.Count).ConfigureAwait(false);
        }
        catch (WorkerCrashedException crash)
        {
            // The local process died holding the batch: tell the client who died, and let another worker try.
            await AnswerAsync(batch, ClusterMessageKind.Death, crash.Message, default, deliveries).ConfigureAwait(false);
            await _tasks!.BasicNackAsync(tag, multiple: false, requeue: true).ConfigureAwait(false);
            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is RemoteException or ArgumentException or InvalidOperationException)
        {
            return AnswerAndAckAsync(batch, tag, ClusterMessageKind.BatchFailed, $"The worker on {_host} could not run the batch of {batch.MethodName}: {ex.Message}", default);
        }

        return AnswerAndAckAsync(batch, tag, ClusterMessageKind.Outcomes, string.Empty, outcomes);
    }

    private async Task AnswerAndAckAsync(ClusterMessage batch, ulong tag, ClusterMessageKind kind, string text, ReadOnlyMemory<byte> payload, int deliveries = 0)
    {
        await AnswerAsync(batch, kind, text, payload, deliveries).ConfigureAwait(false);
        await _tasks!.BasicAckAsync(tag, multiple: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes an answer to the batch's client, mandatory: a client that died has lost its auto-deleted reply queue,
    /// the broker returns the answer, and its remaining batches are dropped unrun.
    /// </summary>
    private async Task AnswerAsync(ClusterMessage batch, ClusterMessageKind kind, string text, ReadOnlyMemory<byte> payload, int deliveries)
    {
        var answer = new ClusterMessage
        {
            Kind = kind, ClientId = batch.ClientId, JobId = batch.JobId, BatchId = batch.BatchId,
            Host = _host, Pid = Environment.ProcessId, Deliveries = deliveries, Text = text,
        };
        ReadOnlyMemory<byte> body;
        try
        {
            body = _signer.Sign(new ArrayBufferWriter<byte>(payload.Length + 128), answer, payload.Span);
        }
        catch (ClusterMessageException ex)
        {
            body = _signer.Sign(new ArrayBufferWriter<byte>(512), answer with { Kind = ClusterMessageKind.BatchFailed, Text = ex.Message }, default);
        }

        try
        {
            await _answers!.BasicPublishAsync(string.Empty, batch.ReplyQueue, mandatory: true, new BasicProperties(), body).ConfigureAwait(false);
        }
        catch (PublishReturnException)
        {
            if (_goneClients.TryAdd(batch.ClientId, true))
            {
                Console.Error.WriteLine($"ParallelDsl cluster worker on {_host}: client {batch.ClientId} is gone (its reply queue no longer exists); its remaining tasks are dropped");
            }
        }
    }

    private static int DeliveryCount(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is { } headers && headers.TryGetValue("x-delivery-count", out object? value))
        {
            return value switch
            {
                long count => (int)count,
                int count => count,
                _ => 0,
            };
        }

        return 0;
    }
}
