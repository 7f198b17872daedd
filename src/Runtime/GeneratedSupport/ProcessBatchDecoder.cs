using System;
using System.ComponentModel;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Decodes the outcomes a <see cref="ProcessBatchInvoker"/> wrote: each task's result goes to its place in
/// <paramref name="destination"/>, each failed task's error to <paramref name="errors"/>. Written by the source generator.
/// </summary>
/// <typeparam name="T">The method's result type.</typeparam>
/// <param name="results">The encoded outcomes, one per task.</param>
/// <param name="destination">Where the results go; its length is the number of tasks.</param>
/// <param name="errors">Reads each outcome's status and keeps the errors.</param>
/// <exception cref="Wire.WireFormatException">The outcomes are malformed.</exception>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ProcessBatchDecoder<T>(ReadOnlySpan<byte> results, Span<T> destination, ProcessBatchErrors errors);
