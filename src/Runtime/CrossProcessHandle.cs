namespace ParallelDsl;

/// <summary>
/// A runtime object that is not copied when it is passed to a <see cref="RunInProcessAttribute"/> method: the child
/// receives a connected end of the same resource (a shared-memory segment, a queue, a pipe end, a lock) instead.
/// The generated codecs write <see cref="HandleName"/> and rebuild the object in the child with
/// <see cref="OpenHandle(string)"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface ICrossProcessHandle<TSelf>
    where TSelf : ICrossProcessHandle<TSelf>
{
    /// <summary>A name, unique within the program run, from which another process of the run can open this resource.</summary>
    string HandleName { get; }

    /// <summary>Opens, in this process, the resource another process of the run named <paramref name="handleName"/>.</summary>
    /// <param name="handleName">The <see cref="HandleName"/> of the original object.</param>
    static abstract TSelf OpenHandle(string handleName);
}
