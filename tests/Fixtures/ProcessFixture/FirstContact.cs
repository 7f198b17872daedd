using ParallelDsl;

namespace ParallelDsl.Tests.Fixtures;

/// <summary>Python's <c>q.put([42, None, 'process 1'])</c>: the item a child puts, as a record.</summary>
internal sealed record Item(int Number, int? Missing, string Text);

/// <summary>A type whose constructor prints: decoding a copy in the child must not print again.</summary>
internal sealed class Greeting
{
    public Greeting(string text)
    {
        Console.WriteLine($"constructing '{text}' in {CurrentProcess.Name}");
        Text = text;
    }

    public string Text { get; }
}

/// <summary>Python's <c>Process(target=c.report)</c>: an instance method run on a copy of the object.</summary>
internal sealed partial class Reporter
{
    public string Name { get; init; } = "";

    public int Count { get; set; }

    [RunInProcess]
    public string Report(int extra) => $"{Name}: {Count + extra} in {CurrentProcess.Name}";
}

/// <summary>
/// The "first-contact" mode: what a new user ports from the Python tutorials first: a record through a queue from
/// children, an argument whose constructor prints, an instance method as the target.
/// </summary>
internal static partial class Program
{
    private static int FirstContact()
    {
        using var queue = new CrossProcessQueue<Item>();
        ProcessHandle[] putters = [.. Enumerable.Range(1, 2).Select(n => StartPutItem(queue, n))];
        foreach (ProcessHandle putter in putters)
        {
            putter.Join();
            putter.Dispose();
        }

        foreach (Item item in Enumerable.Range(0, 2).Select(_ => queue.Get(TimeSpan.FromSeconds(30))).OrderBy(item => item.Text, StringComparer.Ordinal))
        {
            Console.WriteLine($"[{item.Number}, {item.Missing?.ToString() ?? "None"}, '{item.Text}']");
        }

        var greeting = new Greeting("hello");
        using (ProcessHandle<string> shown = StartShowGreeting(greeting, new ProcessOptions { Name = "shower" }))
        {
            Console.WriteLine(shown.Join());
        }

        var reporter = new Reporter { Name = "counter", Count = 2 };
        using (ProcessHandle<string> report = reporter.StartReport(3, new ProcessOptions { Name = "reporter" }))
        {
            Console.WriteLine(report.Join());
        }

        return 0;
    }

    [RunInProcess]
    private static void PutItem(CrossProcessQueue<Item> queue, int n) => queue.Put(new Item(42, null, $"process {n}"));

    [RunInProcess]
    private static string ShowGreeting(Greeting greeting) => $"'{greeting.Text}' arrived in {CurrentProcess.Name}";
}
