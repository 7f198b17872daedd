using System;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelDsl.Wire;

/// <summary>
/// <see cref="IWorkerChannel"/> over an authenticated Unix domain socket. A receive loop reads result frames as
/// they come, so the death of an idle worker is noticed at once (the socket reaches end of stream).
/// </summary>
internal sealed class SocketWorkerChannel : IWorkerChannel
{
    private readonly FrameConnection _connection;
    private readonly Channel<TaskResult> _results =
        Channel.CreateUnbounded<TaskResult>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;

    public SocketWorkerChannel(FrameConnection connection, int workerPid)
    {
        _connection = connection;
        WorkerPid = workerPid;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The pid the worker reported when it authenticated.</summary>
    public int WorkerPid { get; }

    /// <inheritdoc/>
    public Task Completion => _receiveLoop;

    /// <inheritdoc/>
    public ValueTask SendTaskAsync(ulong taskId, ulong methodId, string owner, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        TaskRequest.Write(_connection.Begin(FrameKind.Task), taskId, methodId, owner, arguments.Span);
        return _connection.SendAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask SendShutdownAsync(CancellationToken cancellationToken) =>
        _connection.SendEmptyAsync(FrameKind.Shutdown, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<TaskResult?> ReceiveResultAsync(CancellationToken cancellationToken)
    {
        while (await _results.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_results.Reader.TryRead(out TaskResult? result))
            {
                return result;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _connection.Dispose();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The loop's failure was already delivered to the reader; disposal must not throw it again.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        while (_results.Reader.TryRead(out TaskResult? unread))
        {
            unread.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                Frame? frame = await _connection.ReceiveAsync(_stop.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                if (frame.Kind != FrameKind.Result)
                {
                    FrameKind kind = frame.Kind;
                    frame.Dispose();
                    throw new ProtocolException($"The worker sent a {kind} frame; only Result frames may follow authentication.");
                }

                _results.Writer.TryWrite(TaskResult.Parse(frame));
            }

            _results.Writer.TryComplete();
        }
        catch (IOException)
        {
            // The connection broke (a killed worker can reset it): the worker is gone, which is no protocol error.
            _results.Writer.TryComplete();
        }
        catch (Exception exception) when (_stop.IsCancellationRequested && exception is OperationCanceledException or ObjectDisposedException)
        {
            _results.Writer.TryComplete();
        }
        catch (Exception exception)
        {
            _results.Writer.TryComplete(exception);
            throw;
        }
    }
}
