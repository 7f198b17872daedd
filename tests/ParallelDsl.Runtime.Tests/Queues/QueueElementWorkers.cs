namespace ParallelDsl.Runtime.Tests.Queues;

/// <summary>An item of Python's <c>q.put([42, None, 'process 1'])</c>, as a record.</summary>
public sealed record Message(int Number, int? Missing, string Text);

/// <summary>A record with collections, nullable members and a nested record, for the breadth of the codecs.</summary>
public sealed record Batch(string Name, List<Message> Messages, Dictionary<string, int[]> Counts, (long Id, string? Tag) Key, DateTime? When);

/// <summary>
/// <c>[RunInProcess]</c> methods that put records, tuples and collections into queues and pipes: they run in real child
/// processes, which encode with the same generated codecs the parent decodes with.
/// </summary>
internal static partial class QueueElementWorkers
{
    [RunInProcess]
    internal static void PutMessage(CrossProcessQueue<Message> queue, int number) =>
        queue.Put(new Message(number, null, $"process {number}"));

    /// <summary>Takes every batch until the queue completes and sends back, per batch, its name and how many messages it held.</summary>
    [RunInProcess]
    internal static void Summarize(CrossProcessQueue<Batch> batches, PipeEnd<(string Name, int Count)> summaries)
    {
        foreach (Batch batch in batches.GetConsumingEnumerable())
        {
            summaries.Send((batch.Name, batch.Messages.Count));
        }

        summaries.Dispose();
    }

    /// <summary>Echoes every list it receives, reversed, until the other end closes.</summary>
    [RunInProcess]
    internal static void ReverseEcho(PipeEnd<List<string?>> end)
    {
        try
        {
            while (true)
            {
                List<string?> items = end.Receive();
                items.Reverse();
                end.Send(items);
            }
        }
        catch (EndOfStreamException)
        {
        }
    }
}
