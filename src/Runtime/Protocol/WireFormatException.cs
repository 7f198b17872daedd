using System;

namespace ParallelDsl.Wire;

/// <summary>
/// Encoded data could not be decoded: it ends too early, carries a length or count larger than the data that
/// remains, holds a value outside its type's range, or has bytes left over. The message says what was being read
/// and at which offset.
/// </summary>
public sealed class WireFormatException : FormatException
{
    /// <summary>Creates the exception with a message and no offset.</summary>
    public WireFormatException()
        : this("The encoded data is malformed.", -1)
    {
    }

    /// <summary>Creates the exception with a message and no offset.</summary>
    /// <param name="message">What is wrong with the data.</param>
    public WireFormatException(string message)
        : this(message, -1)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong with the data.</param>
    /// <param name="innerException">The cause.</param>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    /// <param name="message">What is wrong with the data, including the offset.</param>
    /// <param name="offset">The byte offset, from the start of the encoded data, where the problem was found.</param>
    public WireFormatException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>The byte offset, from the start of the encoded data, where the problem was found; -1 when unknown.</summary>
    public int Offset { get; }
}
