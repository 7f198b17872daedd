namespace ParallelDsl.Tests.Chaos;

/// <summary>Which workers a <see cref="Killer"/> picks from.</summary>
internal enum Victims
{
    /// <summary>A random worker every few tens of milliseconds, whatever it does, once it has had time to start.</summary>
    Any,

    /// <summary>Every other new worker, at a random moment of its start (spawning, connecting, getting its lane).</summary>
    Starting,
}

/// <summary>
/// A thread that SIGKILLs children of this process from a seeded random sequence until it is disposed: a random one
/// every <c>minMs</c>–<c>maxMs</c> milliseconds among those older than <see cref="MinimumAge"/>, or
/// (<see cref="Victims.Starting"/>) half of the new ones, each at a random moment of its first <c>maxMs</c> milliseconds.
/// </summary>
/// <remarks>
/// The random killer spares workers younger than twice the start time measured at the beginning of the run: on a
/// loaded machine starts slow down, and a killer faster than starts would keep a pool from ever getting a worker
/// ready. Kills during starts are the job of the <see cref="Victims.Starting"/> killer, which spares half of them.
/// </remarks>
internal sealed class Killer : IDisposable
{
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private int _kills;

    /// <summary>The age below which the random killer spares a worker.</summary>
    public static TimeSpan MinimumAge { get; set; }

    public Killer(int seed, int minMs, int maxMs, Victims victims = Victims.Any)
    {
        var random = new Random(seed);
        _thread = new Thread(victims == Victims.Any ? () => KillAny(random, minMs, maxMs) : () => KillStarting(random, maxMs))
        {
            IsBackground = true,
            Name = "chaos killer",
        };
        _thread.Start();
    }

    /// <summary>How many workers it killed.</summary>
    public int Kills => Volatile.Read(ref _kills);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void KillAny(Random random, int minMs, int maxMs)
    {
        while (!_stop.Token.WaitHandle.WaitOne(random.Next(minMs, maxMs + 1)))
        {
            int[] children = [.. Children.Live().Where(pid => Children.Age(pid) >= MinimumAge)];
            if (children.Length > 0)
            {
                Kill(children[random.Next(children.Length)]);
            }
        }
    }

    private void KillStarting(Random random, int withinMs)
    {
        var seen = new HashSet<int>();
        var due = new Dictionary<int, DateTime>();
        while (!_stop.Token.WaitHandle.WaitOne(1))
        {
            DateTime now = DateTime.UtcNow;
            foreach (int pid in Children.Live())
            {
                if (seen.Add(pid) && random.Next(2) == 0)
                {
                    due[pid] = now + TimeSpan.FromMilliseconds(random.Next(withinMs + 1));
                }
            }

            foreach ((int pid, DateTime when) in due.Where(entry => entry.Value <= now).ToList())
            {
                due.Remove(pid);
                Kill(pid);
            }
        }
    }

    private void Kill(int pid)
    {
        if (Signals.Kill(pid, Signals.SIGKILL))
        {
            Interlocked.Increment(ref _kills);
        }
    }
}
