using System;
using System.Buffers;
using System.ComponentModel;

namespace ParallelDsl.GeneratedSupport;

/// <summary>Encodes the arguments of a batch of pool tasks, one after another, into one buffer. Written by the source generator.</summary>
/// <typeparam name="T">The argument type (a tuple for a method with several parameters).</typeparam>
/// <param name="arguments">The arguments of consecutive tasks.</param>
/// <param name="destination">Where the encoded bytes go.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessBatchEncoder<T>(ReadOnlySpan<T> arguments, IBufferWriter<byte> destination);
