using System.Globalization;
using ParallelDsl.Runtime.Tests.SharedMemory;

namespace ParallelDsl.Runtime.Tests.Queues;

/// <summary>Duplex pipes in one process and between this process and real child processes.</summary>
public class PipeTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void Each_end_receives_in_order_what_the_other_sent()
    {
        (PipeEnd<int> a, PipeEnd<int> b) = Pipe.Create<int>();
        using (a)
        using (b)
        {
            a.Send(1);
            a.Send(2);
            b.Send(10);
            Assert.Equal(1, b.Receive());
            Assert.Equal(2, b.Receive());
            Assert.Equal(10, a.Receive());
            Assert.False(a.TryReceive(TimeSpan.Zero, out _));
            Assert.False(a.IsPeerClosed);
        }
    }

    [Fact]
    public void Closing_an_end_lets_the_other_receive_what_was_sent_then_reach_the_end_of_the_stream()
    {
        (PipeEnd<string> a, PipeEnd<string> b) = Pipe.Create<string>();
        using (b)
        {
            a.Send("last words");
            a.Dispose();

            Assert.Equal("last words", b.Receive());
            Assert.True(b.IsPeerClosed);
            Assert.False(b.TryReceive(TimeSpan.FromSeconds(5), out _));
            Assert.Throws<EndOfStreamException>(() => b.Receive());
            IOException broken = Assert.Throws<IOException>(() => b.Send("anyone?"));
            Assert.Contains("other end", broken.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_receiver_waiting_asynchronously_ends_when_the_other_end_closes()
    {
        (PipeEnd<int> a, PipeEnd<int> b) = Pipe.Create<int>();
        using (b)
        {
            Task<List<int>> reading = ReadAll(b);
            await a.SendAsync(1);
            await a.SendAsync(2);
            await Task.Delay(100);
            a.Dispose();
            Assert.Equal([1, 2], await reading.WaitAsync(SafetyTimeout));
            await Assert.ThrowsAsync<EndOfStreamException>(async () => await b.ReceiveAsync());
        }
    }

    [Fact]
    public void Receive_honours_its_timeout_and_cancellation()
    {
        (PipeEnd<int> a, PipeEnd<int> b) = Pipe.Create<int>();
        using (a)
        using (b)
        {
            Assert.False(b.TryReceive(TimeSpan.FromMilliseconds(100), out _));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.Throws<OperationCanceledException>(() => b.Receive(cancel.Token));
            Assert.ThrowsAny<OperationCanceledException>(() => b.ReceiveAsync(new CancellationToken(true)).AsTask().GetAwaiter().GetResult());
        }
    }

    [Fact]
    public void A_full_pipe_makes_Send_wait_until_its_timeout()
    {
        (PipeEnd<byte[]> a, PipeEnd<byte[]> b) = Pipe.Create<byte[]>(capacityBytes: 4096);
        using (a)
        using (b)
        {
            byte[] block = new byte[900];
            int sent = 0;
            while (a.TrySend(block, TimeSpan.FromMilliseconds(50)))
            {
                sent++;
            }

            Assert.InRange(sent, 1, 4);
            Assert.Equal(900, b.Receive().Length);
            Assert.True(a.TrySend(block, TimeSpan.Zero));
        }
    }

    [Fact]
    public async Task A_message_far_larger_than_the_ring_arrives_whole()
    {
        (PipeEnd<byte[]> a, PipeEnd<byte[]> b) = Pipe.Create<byte[]>(capacityBytes: 64 * 1024);
        using (a)
        using (b)
        {
            byte[] big = Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 7)).ToArray();
            var receiving = Task.Run(() => b.Receive());
            a.Send(big);
            a.Send([]);
            await receiving.WaitAsync(SafetyTimeout);
            Assert.Equal(big, await receiving);
            Assert.Empty(b.Receive());
        }
    }

    [Fact]
    public async Task ReceiveInto_fills_a_reused_buffer_and_leaves_a_message_too_long_for_it_in_the_pipe()
    {
        (PipeEnd<byte[]> a, PipeEnd<byte[]> b) = Pipe.Create<byte[]>(capacityBytes: 64 * 1024);
        using (a)
        using (b)
        {
            byte[] buffer = new byte[100_000];
            byte[] big = Enumerable.Range(0, 90_000).Select(i => (byte)(i * 3)).ToArray();
            var sending = Task.Run(() =>
            {
                a.Send(big);
                a.Send([9, 8, 7]);
            });

            Assert.Equal(big.Length, b.ReceiveInto(buffer));
            Assert.Equal(big, buffer[..big.Length]);

            ArgumentException tooShort = Assert.Throws<ArgumentException>(() => b.ReceiveInto(new byte[2]));
            Assert.Contains("has 3 bytes", tooShort.Message, StringComparison.Ordinal);
            Assert.Equal(3, b.ReceiveInto(buffer));
            Assert.Equal([9, 8, 7], buffer[..3]);
            await sending.WaitAsync(SafetyTimeout);

            a.Dispose();
            Assert.Throws<EndOfStreamException>(() => b.ReceiveInto(buffer));
        }
    }

    [Fact]
    public void Ping_pong_with_a_child_process()
    {
        (PipeEnd<int> mine, PipeEnd<int> theirs) = Pipe.Create<int>();
        using FixtureProcess child = FixtureProcess.Start("pipe-echo", theirs.HandleName);
        using (mine)
        {
            int value = 0;
            for (int round = 0; round < 1000; round++)
            {
                mine.Send(value);
                Assert.True(mine.TryReceive(SafetyTimeout, out int answer));
                Assert.Equal(value + 1, answer);
                value = answer;
            }

            theirs.Dispose();
        }

        child.Succeeds();
    }

    [Fact]
    public async Task Large_messages_travel_to_a_child_and_back_through_a_small_ring()
    {
        (PipeEnd<byte[]> mine, PipeEnd<byte[]> theirs) = Pipe.Create<byte[]>(capacityBytes: 64 * 1024);
        using FixtureProcess child = FixtureProcess.Start("pipe-bulk-echo", theirs.HandleName);
        using (mine)
        {
            byte[] message = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i % 251)).ToArray();
            var sending = Task.Run(() =>
            {
                mine.Send(message);
                mine.Send([1, 2, 3]);
            });
            Assert.Equal(message.Reverse(), mine.Receive());
            Assert.Equal([3, 2, 1], mine.Receive());
            await sending.WaitAsync(SafetyTimeout);
            theirs.Dispose();
        }

        child.Succeeds();
    }

    [Fact]
    public async Task A_child_that_exits_without_closing_its_end_ends_the_stream_after_its_messages()
    {
        (PipeEnd<string> mine, PipeEnd<string> theirs) = Pipe.Create<string>();
        using (mine)
        {
            using (FixtureProcess child = FixtureProcess.Start("pipe-send-and-exit", theirs.HandleName, "5"))
            {
                child.Succeeds();
            }

            theirs.Dispose();
            Assert.Equal(Enumerable.Range(0, 5).Select(i => string.Create(CultureInfo.InvariantCulture, $"message {i}")), await ReadAll(mine));
        }
    }

    [Fact]
    public async Task A_killed_peer_ends_a_waiting_Receive_instead_of_hanging_it()
    {
        (PipeEnd<byte[]> mine, PipeEnd<byte[]> theirs) = Pipe.Create<byte[]>();
        using (mine)
        {
            using FixtureProcess child = FixtureProcess.Start("pipe-hold", theirs.HandleName);
            Assert.Equal("holding", child.ReadLine());
            theirs.Dispose();

            var receiving = Task.Run(() => mine.TryReceive(SafetyTimeout, out _));
            Thread.Sleep(200);
            Assert.False(receiving.IsCompleted, "Receive returned while the peer process was alive and silent.");
            child.KillHard();

            await receiving.WaitAsync(SafetyTimeout);
            Assert.False(await receiving);
            Assert.True(mine.IsPeerClosed);
        }
    }

    [Fact]
    public async Task Sending_to_a_killed_peer_fails_once_the_ring_is_full_instead_of_hanging()
    {
        (PipeEnd<byte[]> mine, PipeEnd<byte[]> theirs) = Pipe.Create<byte[]>(capacityBytes: 64 * 1024);
        using (mine)
        {
            using FixtureProcess child = FixtureProcess.Start("pipe-hold", theirs.HandleName);
            Assert.Equal("holding", child.ReadLine());
            theirs.Dispose();
            child.KillHard();

            var sending = Task.Run(() =>
            {
                while (true)
                {
                    mine.Send(new byte[10_000]);
                }
            });
            IOException broken = await Assert.ThrowsAsync<IOException>(() => sending.WaitAsync(SafetyTimeout));
            Assert.Contains("other end", broken.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_end_opened_with_another_message_type_is_rejected_clearly()
    {
        (PipeEnd<int> a, PipeEnd<int> b) = Pipe.Create<int>();
        using (a)
        using (b)
        {
            Assert.Throws<ArgumentException>(() => PipeEnd<long>.OpenHandle(b.HandleName));
            ArgumentException bad = Assert.Throws<ArgumentException>(() => PipeEnd<int>.OpenHandle("pdsl-pipe:7:x"));
            Assert.Contains("not the handle name of a pipe end", bad.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<List<T>> ReadAll<T>(PipeEnd<T> end)
    {
        var items = new List<T>();
        await foreach (T item in end.ReadAllAsync())
        {
            items.Add(item);
        }

        return items;
    }
}
