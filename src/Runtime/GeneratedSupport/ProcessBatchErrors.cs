using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using ParallelDsl.Wire;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Reads the status of each task of a batch result for a generated <see cref="ProcessBatchDecoder{T}"/>, and keeps
/// the errors of the tasks that failed, by their place in the batch. Created by the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProcessBatchErrors
{
    private readonly List<(int Offset, Exception Error)> _errors = [];

    internal ProcessBatchErrors()
    {
    }

    /// <summary>The failed tasks of the last batch read, by their place in the batch, in order.</summary>
    internal IReadOnlyList<(int Offset, Exception Error)> Items => _errors;

    /// <summary>
    /// Reads the status of the task at <paramref name="index"/> in the batch: <see langword="true"/> when its result
    /// follows; <see langword="false"/> when it failed, its error read and kept.
    /// </summary>
    /// <exception cref="WireFormatException">The status is neither, or the error is malformed.</exception>
    public bool ReadStatus(ref WireReader reader, int index)
    {
        byte status = reader.ReadByte();
        return status == OutcomeStatus.Succeeded || ReadFailure(ref reader, index, status);
    }

    // Apart from ReadStatus, which runs for every task and should be inlined into the generated decoder.
    private bool ReadFailure(ref WireReader reader, int index, byte status)
    {
        if (status != OutcomeStatus.Failed)
        {
            int at = reader.Position - 1;
            throw new WireFormatException(string.Create(CultureInfo.InvariantCulture,
                $"Malformed batch result: task {index} of the batch has the unknown status {status} at offset {at} (0 is a result, 1 an error)."), at);
        }

        _errors.Add((index, RemoteError.Read(ref reader).ToException()));
        return false;
    }

    internal void Clear() => _errors.Clear();
}
