using System.Buffers;
using CsCheck;
using ParallelDsl;
using ParallelDsl.Wire;

namespace ParallelDsl.Runtime.Tests.Protocol;

/// <summary>
/// What a pool's parent reads from a worker, under random input (CsCheck, with shrinking: a failure prints the seed
/// and the smallest input that still fails). Frames written by the runtime read back the same; frames damaged in any
/// way — a flipped bit, a cut, bytes inserted — read as frames or fail with a <see cref="ProtocolException"/>, never
/// with another exception and never by waiting for bytes that will not come.
/// </summary>
public sealed class FrameReaderPropertyTests
{
    private const int MaxBody = 64 * 1024;

    // Every kind a frame is written with: a Spill frame is the transport's own (its body is a descriptor that names a
    // memory file passed beside it, see FrameSpillTests), never a frame the runtime writes with a body of its own.
    private static readonly FrameKind[] Kinds = Enum.GetValues<FrameKind>().Where(kind => kind != FrameKind.Spill).ToArray();

    private static readonly Gen<(FrameKind Kind, byte[] Body)> GenFrame =
        Gen.Select(Gen.Int[0, Kinds.Length - 1], Gen.Byte.Array[0, 300], (kind, body) => (Kinds[kind], body));

    private static readonly Gen<(ulong TaskId, bool Success, byte[] Payload)> GenResult =
        Gen.Select(Gen.ULong, Gen.Bool, Gen.Byte.Array[0, 300]);

    [Fact]
    public void Frames_written_by_the_runtime_read_back_the_same()
    {
        GenFrame.Array[1, 8].Sample(frames =>
        {
            using var connection = new FrameConnection(new MemoryStream(Write(frames)), MaxBody);
            foreach ((FrameKind kind, byte[] body) in frames)
            {
                using Frame frame = connection.Receive()!;
                Assert.Equal(kind, frame.Kind);
                Assert.Equal(body, frame.Body.ToArray());
            }

            Assert.Null(connection.Receive());
        });
    }

    [Fact]
    public void Result_frames_keep_their_task_id_status_and_payload()
    {
        GenResult.Sample(result =>
        {
            var body = new ArrayBufferWriter<byte>();
            TaskResult.WritePrefix(body, result.TaskId, result.Success);
            body.Write(result.Payload);

            ReadOnlySpan<byte> payload = TaskResult.ReadBody(body.WrittenSpan, out ulong taskId, out bool success);

            Assert.Equal(result.TaskId, taskId);
            Assert.Equal(result.Success, success);
            Assert.Equal(result.Payload, payload.ToArray());
        });
    }

    [Fact]
    public void Damaged_frames_read_as_frames_or_fail_with_a_ProtocolException_and_nothing_else()
    {
        Gen.Select(GenFrame.Array[1, 4], Gen.Int[0, int.MaxValue], Gen.Int[0, 2], Gen.Byte.Array[1, 16]).Sample(input =>
        {
            byte[] damaged = Damage(Write(input.Item1), input.Item2, input.Item3, input.Item4);
            using var connection = new FrameConnection(new MemoryStream(damaged), MaxBody);
            try
            {
                while (connection.Receive() is Frame frame)
                {
                    using (frame)
                    {
                        ReadAsTheParentDoes(frame);
                    }
                }
            }
            catch (ProtocolException)
            {
                // A clear error on this channel: what a damaged frame must give.
            }
        });
    }

    /// <summary>The parent's own reads of a frame: a result's prefix and error, a task request.</summary>
    private static void ReadAsTheParentDoes(Frame frame)
    {
        if (frame.Kind == FrameKind.Result)
        {
            ReadOnlySpan<byte> payload = TaskResult.ReadBody(frame.Body, out _, out bool success);
            if (!success)
            {
                _ = TaskResult.ReadError(payload);
            }
        }
        else if (frame.Kind == FrameKind.Task)
        {
            _ = TaskRequest.Read(frame);
        }
    }

    private static byte[] Write((FrameKind Kind, byte[] Body)[] frames)
    {
        var stream = new MemoryStream();
        using (var connection = new FrameConnection(stream, MaxBody))
        {
            foreach ((FrameKind kind, byte[] body) in frames)
            {
                connection.Begin(kind).Write(body);
                connection.Send();
            }

            return stream.ToArray();
        }
    }

    /// <summary>Flips a bit (0), cuts the stream (1) or inserts bytes (2) at a position chosen by <paramref name="where"/>.</summary>
    private static byte[] Damage(byte[] stream, int where, int how, byte[] bytes)
    {
        int at = where % stream.Length;
        return how switch
        {
            0 => [.. stream[..at], (byte)(stream[at] ^ (1 << (where % 8))), .. stream[(at + 1)..]],
            1 => stream[..at],
            _ => [.. stream[..at], .. bytes, .. stream[at..]],
        };
    }
}
