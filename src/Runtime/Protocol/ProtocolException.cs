using System;

namespace ParallelDsl;

/// <summary>
/// A peer sent bytes that are not a valid ParallelDsl frame: a wrong version, an unknown kind, a frame larger than
/// <see cref="ProcessSettings.MaxFrameLength"/>, a truncated frame or a body that does not decode. The channel it
/// arrived on is closed; the parent process is not affected.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolException()
        : base("The peer sent an invalid frame.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What was wrong with the frame.</param>
    public ProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that revealed it.</summary>
    /// <param name="message">What was wrong with the frame.</param>
    /// <param name="innerException">The underlying error.</param>
    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
