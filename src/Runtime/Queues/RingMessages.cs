using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelDsl;

/// <summary>What a read of a <see cref="SharedRing"/> produced.</summary>
internal enum ReadOutcome
{
    Message,
    TimedOut,

    /// <summary>The ring is empty and no message will come: the queue is completed, or the writing pipe end is closed.</summary>
    End,
}

/// <summary>Receives the bytes of one message as a <see cref="SharedRing"/> reads it, chunk by chunk.</summary>
internal interface IMessageSink
{
    void Begin(long totalBytes);

    void Append(ReadOnlySpan<byte> chunk);
}

/// <summary>Gives a <see cref="SharedRing"/> the messages of a run, one at a time, as it writes them.</summary>
internal interface IMessageSource
{
    /// <summary>How many messages the run has.</summary>
    int Count { get; }

    /// <summary>The bytes of message <paramref name="index"/>; valid until the next call.</summary>
    ReadOnlySpan<byte> Encode(int index);
}

/// <summary>Receives whole messages as a <see cref="SharedRing"/> drains a run of them.</summary>
internal interface IMessageRunSink : IMessageSink
{
    /// <summary>How many more messages the sink takes.</summary>
    int Room { get; }

    /// <summary>
    /// Takes one whole message (one that was written in one record). Returns <see langword="false"/> to leave it in the
    /// ring for the next read (allowed only when the sink already holds a message); throws to take it and fail.
    /// </summary>
    bool Add(ReadOnlySpan<byte> message);

    /// <summary>Takes the message just assembled through <see cref="IMessageSink.Begin"/> and <see cref="IMessageSink.Append"/>.</summary>
    void EndAssembled();
}

/// <summary>
/// Tells a <see cref="SharedRing"/> whether the other side of a pipe is gone: <paramref name="checkLiveness"/> asks
/// for the thorough check (are the holders' processes alive), made only while waiting.
/// </summary>
internal delegate bool PeerGone(bool checkLiveness);
