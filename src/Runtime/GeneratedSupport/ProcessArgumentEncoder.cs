using System.Buffers;
using System.ComponentModel;

namespace ParallelDsl.GeneratedSupport;

/// <summary>Encodes the argument of a <see cref="RunInProcessAttribute"/> method for a pool. Written by the source generator.</summary>
/// <typeparam name="T">The argument type (a tuple for a method with several parameters).</typeparam>
/// <param name="argument">The argument to encode.</param>
/// <param name="destination">Where the encoded bytes go.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessArgumentEncoder<in T>(T argument, IBufferWriter<byte> destination);
