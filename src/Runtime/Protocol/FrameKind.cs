namespace ParallelDsl.Wire;

/// <summary>What a frame carries. The values are part of the wire format: never renumber them.</summary>
internal enum FrameKind : byte
{
    /// <summary>Parent → worker: a random nonce the worker must authenticate.</summary>
    Challenge = 1,

    /// <summary>Worker → parent: the worker's pid and the HMAC of the nonce under the shared key.</summary>
    Authenticate = 2,

    /// <summary>Parent → worker: the worker is authenticated and may receive tasks.</summary>
    Accepted = 3,

    /// <summary>Parent → peer: authentication failed; the connection closes.</summary>
    Refused = 4,

    /// <summary>Parent → worker: run a method (task id, method id, owner assembly, encoded arguments).</summary>
    Task = 5,

    /// <summary>Worker → parent: the outcome of a task (task id, status, encoded result or error).</summary>
    Result = 6,

    /// <summary>Parent → worker: no more tasks; finish and exit.</summary>
    Shutdown = 7,

    /// <summary>Parent → pool worker: the handle name of the shared-memory lane that single tasks travel through.</summary>
    Lane = 8,

    /// <summary>Parent → pool worker: a task waits in the lane; sent only when the worker had stopped watching it.</summary>
    Wake = 9,

    /// <summary>Either way: a Task or Result frame too large for the socket, in a memory file whose descriptor comes with this frame (see FrameSpill).</summary>
    Spill = 10,
}
