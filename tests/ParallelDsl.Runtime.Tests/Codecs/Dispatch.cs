using System.Buffers;
using ParallelDsl.GeneratedSupport;

namespace ParallelDsl.Runtime.Tests.Codecs;

/// <summary>Runs a generated invoker the way a worker process does, but in this process.</summary>
internal static class Dispatch
{
    /// <summary>Finds the method in the dispatch table, invokes it on the encoded arguments and returns the encoded result.</summary>
    public static byte[] Invoke(ulong id, ReadOnlySpan<byte> arguments)
    {
        Assert.True(ProcessDispatch.TryGet(id, out ProcessMethod? method), $"No method 0x{id:X16} in the dispatch table.");
        var result = new ArrayBufferWriter<byte>();
        method.Invoke(arguments, result);
        return result.WrittenSpan.ToArray();
    }

    /// <summary>Invokes the method and decodes its result with the generated decoder.</summary>
    public static T RoundTrip<T>(ulong id, ReadOnlyMemory<byte> arguments, ProcessResultDecoder<T> decode) =>
        decode(Invoke(id, arguments.Span));
}
