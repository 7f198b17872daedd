using System.Globalization;
using ParallelDsl;

/// <summary>The fixture modes of the queue and pipe tests: each opens its objects by the handle names the test passes.</summary>
internal static class QueueModes
{
    public static bool Handles(string mode) => mode.StartsWith("queue-", StringComparison.Ordinal) || mode.StartsWith("pipe-", StringComparison.Ordinal);

    public static int Run(string[] args) => args[0] switch
    {
        "queue-put" => Put(args[1], Number(args[2]), Number(args[3])),
        "queue-forward" => Forward(args[1], args[2]),
        "queue-put-many" => PutMany(args[1], Number(args[2]), Number(args[3])),
        "queue-forward-many" => ForwardMany(args[1], args[2]),
        "queue-put-many-forever" => PutManyForever(args[1]),
        "queue-put-forever" => PutForever(args[1]),
        "queue-get-forever" => GetForever(args[1]),
        "pipe-echo" => Echo(args[1]),
        "pipe-send-and-exit" => SendAndExit(args[1], Number(args[2])),
        "pipe-hold" => Hold(args[1]),
        "pipe-bulk-echo" => BulkEcho(args[1]),
        _ => throw new ArgumentException($"Unknown fixture mode '{args[0]}'."),
    };

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Puts start, start+1, … (count items), prints "done", and exits without any flush or drain.</summary>
    private static int Put(string handle, int start, int count)
    {
        using var queue = CrossProcessQueue<int>.OpenHandle(handle);
        for (int i = 0; i < count; i++)
        {
            queue.Put(start + i);
        }

        Console.WriteLine("done");
        return 0;
    }

    /// <summary>Puts start, start+1, … (count items) in runs of 1 to 700 items, prints "done", and exits.</summary>
    private static int PutMany(string handle, int start, int count)
    {
        using var queue = CrossProcessQueue<int>.OpenHandle(handle);
        var random = new Random(start);
        int[] run = new int[700];
        for (int put = 0; put < count;)
        {
            int length = Math.Min(random.Next(1, run.Length + 1), count - put);
            for (int i = 0; i < length; i++)
            {
                run[i] = start + put + i;
            }

            queue.PutMany(run.AsSpan(0, length));
            put += length;
        }

        Console.WriteLine("done");
        return 0;
    }

    /// <summary>Takes the items of one queue in runs until it is completed and puts each run into another.</summary>
    private static int ForwardMany(string fromHandle, string toHandle)
    {
        using var from = CrossProcessQueue<int>.OpenHandle(fromHandle);
        using var to = CrossProcessQueue<int>.OpenHandle(toHandle);
        int[] run = new int[256];
        for (int taken; (taken = from.GetMany(run)) > 0;)
        {
            to.PutMany(run.AsSpan(0, taken));
        }

        return 0;
    }

    private static int PutManyForever(string handle)
    {
        using var queue = CrossProcessQueue<int>.OpenHandle(handle);
        Console.WriteLine("putting");
        int[] run = new int[300];
        for (int next = 0; ; next += run.Length)
        {
            for (int i = 0; i < run.Length; i++)
            {
                run[i] = next + i;
            }

            queue.PutMany(run);
        }
    }

    /// <summary>Takes every item of one queue until it is completed and puts it into another.</summary>
    private static int Forward(string fromHandle, string toHandle)
    {
        using var from = CrossProcessQueue<int>.OpenHandle(fromHandle);
        using var to = CrossProcessQueue<int>.OpenHandle(toHandle);
        foreach (int item in from.GetConsumingEnumerable())
        {
            to.Put(item);
        }

        return 0;
    }

    private static int PutForever(string handle)
    {
        using var queue = CrossProcessQueue<int>.OpenHandle(handle);
        Console.WriteLine("putting");
        for (int i = 0; ; i++)
        {
            queue.Put(i);
        }
    }

    private static int GetForever(string handle)
    {
        using var queue = CrossProcessQueue<int>.OpenHandle(handle);
        Console.WriteLine("getting");
        while (true)
        {
            _ = queue.Get();
        }
    }

    /// <summary>Answers each number with the number plus one until the other end closes.</summary>
    private static int Echo(string handle)
    {
        using var end = PipeEnd<int>.OpenHandle(handle);
        while (end.TryReceive(Timeout.InfiniteTimeSpan, out int number))
        {
            end.Send(number + 1);
        }

        return end.IsPeerClosed ? 0 : 3;
    }

    /// <summary>Sends count strings and exits without disposing its end: the exit alone must end the stream.</summary>
    private static int SendAndExit(string handle, int count)
    {
        var end = PipeEnd<string>.OpenHandle(handle);
        for (int i = 0; i < count; i++)
        {
            end.Send($"message {i}");
        }

        return 0;
    }

    private static int Hold(string handle)
    {
        using var end = PipeEnd<byte[]>.OpenHandle(handle);
        Console.WriteLine("holding");
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Sends every byte[] it receives back, reversed, until the other end closes.</summary>
    private static int BulkEcho(string handle)
    {
        using var end = PipeEnd<byte[]>.OpenHandle(handle);
        while (end.TryReceive(Timeout.InfiniteTimeSpan, out byte[] message))
        {
            Array.Reverse(message);
            end.Send(message);
        }

        return 0;
    }
}
