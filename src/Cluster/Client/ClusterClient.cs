using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ParallelDsl.Cluster.Broker;
using ParallelDsl.Cluster.Wire;
using ParallelDsl.GeneratedSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace ParallelDsl.Cluster.Client;

/// <summary>
/// A client's side of the broker: one connection (recovered after a broker restart), a channel that publishes task
/// batches with confirms and a bounded number unconfirmed, and a per-client exclusive, auto-deleted reply queue whose
/// answers complete the pending batches by batch id. A second answer to the same batch (the batch ran twice after a
/// redelivery) finds nothing pending and is dropped: each task's result reaches the caller once.
/// </summary>
internal sealed class ClusterClient : IAsyncDisposable
{
    private static readonly TimeSpan RepublishPause = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<long, PendingBatch> _pending = new();
    private readonly ConcurrentDictionary<long, bool> _cancelledJobs = new();
    private readonly ClusterOptions _options;
    private readonly MessageSigner _signer;
    private readonly IConnection _connection;
    private readonly IChannel _publisher;
    private readonly IChannel _replies;
    private readonly SemaphoreSlim _unconfirmed;
    private readonly Timer _expiry;
    private long _lastBatchId;

    private ClusterClient(ClusterOptions options, MessageSigner signer, IConnection connection, IChannel publisher, IChannel replies, string replyQueue)
    {
        _options = options;
        _signer = signer;
        _connection = connection;
        _publisher = publisher;
        _replies = replies;
        _unconfirmed = new SemaphoreSlim(options.MaxUnconfirmed, options.MaxUnconfirmed);
        ReplyQueue = replyQueue;
        TimeSpan period = options.TaskExpiry < TimeSpan.FromSeconds(4) ? options.TaskExpiry / 4 : TimeSpan.FromSeconds(1);
        _expiry = new Timer(static state => ((ClusterClient)state!).GiveUpExpired(), this, period, period);
    }

    /// <summary>This client's id: the workers' answers name it, and a client ignores answers meant for another.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    public string ReplyQueue { get; }

    public ClusterOptions Options => _options;

    public MessageSigner Signer => _signer;

    /// <summary>Connects to the broker at <paramref name="uri"/>, declares the cluster's queues and starts consuming answers.</summary>
    public static async Task<ClusterClient> ConnectAsync(Uri uri, ClusterOptions options, string clientName, CancellationToken cancellationToken)
    {
        var signer = new MessageSigner(options.Validate(), options.MaxMessageBytes);
        IConnection connection = await BrokerConnection.OpenAsync(uri, options, clientName, cancellationToken).ConfigureAwait(false);
        try
        {
            IChannel publisher = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
                cancellationToken).ConfigureAwait(false);
            await ClusterTopology.DeclareAsync(publisher, options, cancellationToken).ConfigureAwait(false);
            IChannel replies = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            string replyQueue = $"{options.Queue}.reply.{Guid.NewGuid():N}";
            await replies.QueueDeclareAsync(replyQueue, durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
            var client = new ClusterClient(options, signer, connection, publisher, replies, replyQueue);
            await ClusterTopology.BindDeadLettersAsync(replies, options.Queue, client.Id, replyQueue, cancellationToken).ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(replies);
            consumer.ReceivedAsync += client.OnAnswerAsync;
            await replies.BasicConsumeAsync(replyQueue, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
            connection.RecoverySucceededAsync += client.OnRecoveredAsync;
            return client;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Signs a batch of tasks, starts its publish and returns what waits for its answer, without waiting for the broker's
    /// confirm: the answer may come before the confirm does. Publishes that are not confirmed yet are bounded by
    /// <see cref="ClusterOptions.MaxUnconfirmed"/>; one that fails for good (not a lost connection, which is retried)
    /// ends the batch's answer with the error.
    /// </summary>
    /// <exception cref="ClusterMessageException">The batch is over the message size limit.</exception>
    public PendingBatch Publish(long jobId, IEncodedPoolWork work, int firstIndex, int count, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        long batchId = Interlocked.Increment(ref _lastBatchId);
        var message = new ClusterMessage
        {
            Kind = ClusterMessageKind.Tasks,
            ClientId = Id,
            JobId = jobId,
            BatchId = batchId,
            MethodId = work.MethodId,
            // The client is the build whose codecs encoded the arguments: its own table has the method's shape.
            ShapeId = ProcessDispatch.Get(work.MethodId, work.MethodName).ShapeId,
            MethodName = work.MethodName,
            ReplyQueue = ReplyQueue,
            FirstIndex = firstIndex,
            Count = count,
            ExpiresAtUnixMs = DateTimeOffset.UtcNow.Add(_options.TaskExpiry).ToUnixTimeMilliseconds(),
        };
        ReadOnlyMemory<byte> body = _signer.Sign(new ArrayBufferWriter<byte>(arguments.Length + 256), message, arguments.Span);
        var pending = new PendingBatch(batchId, body, message.ExpiresAtUnixMs, work.MethodName, firstIndex, count);
        _pending[batchId] = pending;
        _ = PublishUntilSentAsync(pending, cancellationToken).ContinueWith(
            static (sent, state) =>
            {
                var (client, batch) = ((ClusterClient, PendingBatch))state!;
                client.Forget(batch);
                batch.Abandon(sent.Exception?.GetBaseException() ?? new OperationCanceledException("The batch's publish was cancelled."));
            },
            (this, pending), CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        return pending;
    }

    /// <summary>Forgets a batch whose answer is no longer wanted (its job was terminated).</summary>
    public void Forget(PendingBatch batch) => _pending.TryRemove(batch.BatchId, out _);

    /// <summary>Tells every worker to skip the job's batches not started yet; the first call per job publishes.</summary>
    public async Task CancelJobAsync(long jobId)
    {
        if (!_cancelledJobs.TryAdd(jobId, true))
        {
            return;
        }

        ReadOnlyMemory<byte> body = _signer.Sign(new ArrayBufferWriter<byte>(64), new ClusterMessage { Kind = ClusterMessageKind.Cancel, ClientId = Id, JobId = jobId }, default);
        try
        {
            await _publisher.BasicPublishAsync(ClusterTopology.ControlExchange(_options.Queue), string.Empty, mandatory: false, new BasicProperties(), body).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or PublishException or OperationInterruptedException)
        {
            // Without the broker no worker takes the job's tasks either; the skipped answers are an optimisation.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _expiry.DisposeAsync().ConfigureAwait(false);
        foreach (PendingBatch batch in _pending.Values)
        {
            batch.Abandon(new ObjectDisposedException(nameof(ClusterPool), "The cluster pool was disposed while the batch waited for its answer."));
        }

        try
        {
            await _connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or System.IO.IOException)
        {
            // Closing a connection the broker already dropped.
        }

        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _replies.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Gives up the batches still unanswered when their tasks expire (<see cref="ClusterOptions.TaskExpiry"/>): no worker
    /// starts them any more, so waiting longer cannot bring an answer. Their tasks fail with a <see cref="TimeoutException"/>,
    /// which keeps a pool whose queue no worker program serves from waiting for ever (a <c>Dispose</c> included).
    /// </summary>
    private void GiveUpExpired()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (PendingBatch batch in _pending.Values)
        {
            if (batch.ExpiresAtUnixMs <= now && _pending.TryRemove(batch.BatchId, out _))
            {
                batch.Abandon(new TimeoutException(
                    $"No answer came for {batch.Description} within ClusterOptions.TaskExpiry ({_options.TaskExpiry}), so it was given up. " +
                    $"Is a worker program serving queue '{_options.Queue}' with the same key? A worker that takes the batch later skips it."));
            }
        }
    }

    /// <summary>
    /// Publishes until the broker confirms, at most <see cref="ClusterOptions.MaxUnconfirmed"/> at once. A broker that goes away loses nothing: the publish is tried again once the
    /// connection is recovered (and every pending batch is published again then anyway, in case its answer was lost).
    /// </summary>
    private async Task PublishUntilSentAsync(PendingBatch pending, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            DeliveryMode = DeliveryModes.Persistent,
            ReplyTo = ReplyQueue,
            Headers = new Dictionary<string, object?> { [ClusterTopology.ClientHeader] = Id.ToString("N") },
        };
        await _unconfirmed.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                try
                {
                    await _publisher.BasicPublishAsync(string.Empty, _options.Queue, mandatory: true, properties, pending.Body, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is AlreadyClosedException or PublishException or OperationInterruptedException or System.IO.IOException)
                {
                    await Task.Delay(RepublishPause, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _unconfirmed.Release();
        }
    }

    /// <summary>
    /// After a broker restart the exclusive reply queue was gone for a while: an answer sent then is lost, so every
    /// batch still waiting is published again. A batch that had run answers twice; the second answer is dropped.
    /// </summary>
    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        List<PendingBatch> waiting = [.. _pending.Values];
        _ = Task.Run(async () =>
        {
            foreach (PendingBatch batch in waiting)
            {
                if (_pending.ContainsKey(batch.BatchId))
                {
                    await PublishUntilSentAsync(batch, CancellationToken.None).ConfigureAwait(false);
                }
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// The answer a dead letter stands for: given up as poison when the broker's delivery limit caught it (every worker
    /// that took it vanished without a word), else failed with the broker's reason (a worker rejected it unrun).
    /// </summary>
    private ClusterMessage DeadLetterAnswer(ClusterMessage batch, IReadOnlyBasicProperties properties)
    {
        string reason = properties.Headers is { } headers && headers.TryGetValue("x-first-death-reason", out object? value)
            ? value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "unknown"
            : "unknown";
        string dead = ClusterTopology.DeadLetterQueue(_options.Queue);
        return reason == "delivery_limit"
            ? new ClusterMessage
            {
                Kind = ClusterMessageKind.Poisoned,
                ClientId = Id,
                BatchId = batch.BatchId,
                // The queue's limit is one more than DeliveryLimit and counts returns: the last return is one more again.
                Deliveries = _options.DeliveryLimit + 2,
                Text = $"the broker, which dead-lettered it to '{dead}'",
            }
            : new ClusterMessage
            {
                Kind = ClusterMessageKind.BatchFailed,
                ClientId = Id,
                BatchId = batch.BatchId,
                Host = "the broker",
                Text = $"The batch of {batch.Count} tasks of {batch.MethodName} at input indexes {batch.FirstIndex} to {batch.FirstIndex + batch.Count - 1} was dead-lettered to '{dead}' unrun (reason: {reason}); a worker rejected it, see its standard error.",
            };
    }

    private Task OnAnswerAsync(object sender, BasicDeliverEventArgs delivery)
    {
        ClusterMessage answer;
        try
        {
            answer = _signer.Open(delivery.Body.ToArray());
        }
        catch (ClusterMessageException ex)
        {
            Console.Error.WriteLine($"ParallelDsl.Cluster: an answer on '{ReplyQueue}' was rejected: {ex.Message}");
            return Task.CompletedTask;
        }

        if (answer.ClientId != Id)
        {
            return Task.CompletedTask;
        }

        if (answer.Kind == ClusterMessageKind.Tasks)
        {
            // One of this client's own batches, dead-lettered by the broker: it answers for the workers that never did.
            if (_pending.TryRemove(answer.BatchId, out PendingBatch? dead))
            {
                dead.Complete(DeadLetterAnswer(answer, delivery.BasicProperties));
            }
        }
        else if (answer.Kind == ClusterMessageKind.Death)
        {
            if (_pending.TryGetValue(answer.BatchId, out PendingBatch? held))
            {
                held.AddDeath(answer);
            }
        }
        else if (_pending.TryRemove(answer.BatchId, out PendingBatch? batch))
        {
            batch.Complete(answer);
        }

        return Task.CompletedTask;
    }
}
