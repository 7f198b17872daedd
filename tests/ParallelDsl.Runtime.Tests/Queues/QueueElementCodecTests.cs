using static ParallelDsl.Runtime.Tests.Queues.QueueElementWorkers;

namespace ParallelDsl.Runtime.Tests.Queues;

/// <summary>
/// Queues and pipes of records, tuples, lists and dictionaries between this process and real child processes: the
/// items go through the generated codecs [RunInProcess] arguments use.
/// </summary>
public sealed class QueueElementCodecTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromMinutes(2);

    [Fact]
    public void Records_put_by_child_processes_come_out_of_the_queue_equal()
    {
        using var queue = new CrossProcessQueue<Message>();
        var children = Enumerable.Range(1, 3).Select(n => StartPutMessage(queue, n)).ToList();
        try
        {
            children.ForEach(child => Assert.True(child.Join(Safety), "a child did not finish"));

            Message[] messages = [.. Enumerable.Range(0, 3).Select(_ => queue.Get(Safety)).OrderBy(m => m.Number)];

            Assert.Equal([new Message(1, null, "process 1"), new Message(2, null, "process 2"), new Message(3, null, "process 3")], messages);
            Assert.Equal(0, queue.Count);
        }
        finally
        {
            children.ForEach(child => child.Dispose());
        }
    }

    [Fact]
    public void A_child_reads_nested_records_from_a_queue_and_answers_through_a_pipe_of_tuples()
    {
        using var batches = new CrossProcessQueue<Batch>(maxCount: 4);
        (PipeEnd<(string Name, int Count)> mine, PipeEnd<(string Name, int Count)> theirs) = Pipe.Create<(string Name, int Count)>();
        using (mine)
        using (ProcessHandle child = StartSummarize(batches, theirs))
        {
            var sent = new List<(string, int)>();
            for (int i = 0; i < 20; i++)
            {
                // Every 7th batch is large enough to travel through the ring in chunks.
                int size = i % 7 == 0 ? 20_000 : i;
                var batch = new Batch(
                    $"batch {i}",
                    [.. Enumerable.Range(0, size).Select(n => new Message(n, n % 2 == 0 ? null : n, new string('x', n % 50)))],
                    new Dictionary<string, int[]> { ["a"] = [i], ["empty"] = [] },
                    (i, i % 3 == 0 ? null : "tag"),
                    i % 2 == 0 ? null : DateTime.UnixEpoch.AddDays(i));
                batches.Put(batch, new CancellationTokenSource(Safety).Token);
                sent.Add((batch.Name, size));
            }

            batches.Complete();
            var received = new List<(string, int)>();
            while (mine.TryReceive(Safety, out (string Name, int Count) summary))
            {
                // The child has opened its end once it answers: only then may the parent let go of its copy.
                theirs.Dispose();
                received.Add(summary);
            }

            Assert.True(child.Join(Safety), "the child did not finish");
            Assert.Equal(sent, received);
        }
    }

    [Fact]
    public void Lists_with_null_items_go_to_a_child_and_come_back_through_a_pipe()
    {
        (PipeEnd<List<string?>> mine, PipeEnd<List<string?>> theirs) = Pipe.Create<List<string?>>();
        using (mine)
        using (ProcessHandle child = StartReverseEcho(theirs))
        {
            mine.Send(["a", null, "ü"]);
            Assert.Equal(["ü", null, "a"], mine.Receive());
            theirs.Dispose();
            mine.Send([]);
            Assert.Empty(mine.Receive());

            mine.Dispose();
            Assert.True(child.Join(Safety), "the child did not finish");
            Assert.Equal(0, child.ExitCode);
        }
    }

    [Fact]
    public void A_null_record_is_an_item_like_any_other()
    {
        using var queue = new CrossProcessQueue<Message?>();
        queue.Put(null);
        queue.Put(new Message(1, 2, "three"));

        Assert.Null(queue.Get(Safety));
        Assert.Equal(new Message(1, 2, "three"), queue.Get(Safety));
    }

    [Fact]
    public void A_type_parameter_closed_over_a_type_the_assembly_never_names_in_a_queue_fails_clearly()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => Make<Unnamed>());

        Assert.Contains("CrossProcessQueue<Unnamed> cannot be created: Unnamed has no generated codec", error.Message, StringComparison.Ordinal);
    }

    private static CrossProcessQueue<T> Make<T>() => new();

    private sealed record Unnamed(string Text);
}
