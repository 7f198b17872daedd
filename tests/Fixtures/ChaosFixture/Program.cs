using System.Diagnostics;
using System.Globalization;
using ParallelDsl;

namespace ParallelDsl.Tests.Chaos;

/// <summary>
/// Process pools under random SIGKILLs at random moments — while workers start, mid-batch, while a lane result is
/// written, while a large result crosses the socket, during Dispose — and a worker stopped with SIGSTOP. Every task's
/// result must arrive exactly once and be right (or, with no retry left, exactly the killed task fails with
/// <see cref="WorkerCrashedException"/>); each pool must work afterwards; no process, memfd or socket may be left.
/// </summary>
/// <remarks>
/// <c>ChaosFixture short [seed]</c> runs in seconds (the runtime tests); <c>ChaosFixture long [seed]</c> runs longer and
/// ends with BENCH lines (bench/run.sh chaos). The exit code is 0 only when every check held; a failure names its seed.
/// Give it a private <c>TMPDIR</c>: it checks that nothing but its (empty) socket directory is left there, and the
/// caller that the socket directory is gone once it has exited.
/// </remarks>
internal static partial class Program
{
    private const string PidFileVariable = "CHAOS_PID_FILE";

    /// <summary>The kills each random-kill scenario waits for (it repeats its work until then, within <see cref="s_budget"/>).</summary>
    private static int s_kills = 3;

    private static TimeSpan s_budget = TimeSpan.FromSeconds(20);

    private static int Main(string[] args)
    {
        MainGuard.Enter(args);
        bool longForm = args.Length > 0 && args[0] == "long";
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.TickCount & 0x7FFFFFFF;
        Console.WriteLine($"chaos: {(longForm ? "long" : "short")} form, seed {seed}");

        int memfdsBefore = Children.MemfdCount();
        var report = new Report(seed);
        int scale = longForm ? 10 : 1;
        if (longForm)
        {
            s_kills = 25;
            s_budget = TimeSpan.FromMinutes(2);
        }

        // Kills come about as often as workers take to start on this machine, and never less often than every
        // 20–80 ms: a pool must get some workers through their start, or no pool could make progress.
        _ = MeasureStart();
        int start = (int)Math.Ceiling(MeasureStart().TotalMilliseconds);
        (int min, int max) every = (Math.Max(20, start / 2), Math.Max(80, 2 * start));
        Killer.MinimumAge = TimeSpan.FromMilliseconds(2 * start);
        Console.WriteLine($"chaos: a worker starts in {start} ms here; kills every {every.min}–{every.max} ms, of workers older than {2 * start} ms");

        report.Run("kills while workers start", () => KillsWhileStarting(seed, start, every, 2_000 * scale));
        report.Run("kills mid-batch", () => KillsMidBatch(seed + 1, every, 20_000 * scale));
        report.Run("kills while a lane result is written", () => KillsOnLanes(seed + 2, every, 1_000 * scale));
        report.Run("kills while a large result crosses the socket", () => KillsOnLargeResults(seed + 3, every, 60 * scale));
        report.Run("kills during Dispose", () => KillsDuringDispose(seed + 4, 400 * scale));
        report.Run("a worker stopped with SIGSTOP", StoppedWorker);
        report.Run("a kill with no retry left", KilledWithoutRetry);
        if (longForm)
        {
            report.Run("overhead", () => Overhead(seed + 5, every, 100_000));
        }

        int[] left = Children.WaitUntilNone(TimeSpan.FromSeconds(10));
        report.Check("no worker process is left", left.Length == 0 ? null : $"still running: {string.Join(", ", left)}");
        int memfdsAfter = Children.MemfdCount();
        report.Check("no memfd is left", memfdsAfter == memfdsBefore ? null : $"{memfdsBefore} memfds open before, {memfdsAfter} after");
        string[] leftovers = [.. Directory.EnumerateFileSystemEntries(Path.GetTempPath(), "*", SearchOption.AllDirectories)
            .Where(entry => !(Directory.Exists(entry) && Path.GetFileName(entry).StartsWith("pdsl-", StringComparison.Ordinal)) && !IsRuntimeDiagnostics(entry))];
        report.Check("no worker socket or temporary file is left", leftovers.Length == 0 ? null : string.Join(", ", leftovers));

        return report.Finish();
    }

    /// <summary>How long a pool takes from its creation to its first result, that is, to start a worker.</summary>
    private static TimeSpan MeasureStart()
    {
        var watch = Stopwatch.StartNew();
        using var pool = new ProcessPool(workers: 1);
        _ = pool.Submit(Tag, 0).Result;
        return watch.Elapsed;
    }

    /// <summary>Half of the new workers are killed while they start, and a slower killer keeps workers restarting.</summary>
    private static Outcome KillsWhileStarting(int seed, int start, (int Min, int Max) every, int count)
    {
        using var pool = new ProcessPool(workers: 2, retries: 10);
        Tally tally;
        int kills;
        using (var starting = new Killer(seed, 0, start, Victims.Starting))
        using (var slow = new Killer(seed ^ 0x5EED, 2 * every.Min, 2 * every.Max))
        {
            tally = Rounds(() => starting.Kills + slow.Kills, () => Tally.Of(pool.MapUnordered(Tag, Enumerable.Range(0, count), chunkSize: 8), count));
            kills = starting.Kills + slow.Kills;
        }

        return tally.Outcome(kills, Afterwards(pool));
    }

    private static Outcome KillsMidBatch(int seed, (int Min, int Max) every, int count)
    {
        using var pool = new ProcessPool(workers: 2, retries: 10);
        Tally tally;
        int kills;
        using (var killer = new Killer(seed, every.Min, every.Max))
        {
            tally = Rounds(() => killer.Kills, () => Tally.Of(pool.MapUnordered(Tag, Enumerable.Range(0, count)), count));
            kills = killer.Kills;
        }

        return tally.Outcome(kills, Afterwards(pool));
    }

    /// <summary>Single tasks to idle workers go through their lanes, written and collected while workers die.</summary>
    private static Outcome KillsOnLanes(int seed, (int Min, int Max) every, int count)
    {
        using var pool = new ProcessPool(workers: 2, retries: 10);
        Tally tally;
        int kills;
        using (var killer = new Killer(seed, every.Min, every.Max))
        {
            tally = Rounds(() => killer.Kills, () =>
            {
                var results = new List<long>(count);
                for (int i = 0; i < count; i++)
                {
                    results.Add(pool.Submit(Tag, i).Result);
                }

                return Tally.Of(results, count);
            });
            kills = killer.Kills;
        }

        return tally.Outcome(kills, Afterwards(pool));
    }

    /// <summary>Results of 200 KB do not fit a lane: they come back through the worker's socket.</summary>
    private static Outcome KillsOnLargeResults(int seed, (int Min, int Max) every, int count)
    {
        using var pool = new ProcessPool(workers: 2, retries: 10);
        Tally tally;
        int kills;
        using (var killer = new Killer(seed, every.Min, every.Max))
        {
            tally = Rounds(() => killer.Kills, () =>
            {
                var results = new List<long>();
                results.AddRange(pool.MapUnordered(Large, Enumerable.Range(0, count), chunkSize: 1).Select(CheckLarge));
                for (int i = count; i < 2 * count; i++)
                {
                    results.Add(CheckLarge(pool.Submit(Large, i).Result));
                }

                return Tally.Of(results, 2 * count);
            });
            kills = killer.Kills;
        }

        return tally.Outcome(kills, Afterwards(pool));
    }

    /// <summary>Workers die while Dispose stops the pool: it returns, every task is settled, no worker is left.</summary>
    private static Outcome KillsDuringDispose(int seed, int count)
    {
        var pool = new ProcessPool(workers: 2, retries: 10);
        PoolTask<long>[] tasks = [.. Enumerable.Range(0, count).Select(i => pool.Submit(Tag, i))];
        int kills;
        var watch = Stopwatch.StartNew();
        using (var killer = new Killer(seed, 2, 10))
        {
            Thread.Sleep(30);
            pool.Dispose();
            kills = killer.Kills;
        }

        TimeSpan disposing = watch.Elapsed;
        int unsettled = tasks.Count(task => !task.IsCompleted);
        var results = tasks.Where(task => task.Exception is null && !task.IsCancelled).Select(task => task.Result).ToList();
        string? problem = unsettled > 0 ? $"{unsettled} tasks neither completed nor failed after Dispose"
            : disposing > TimeSpan.FromSeconds(30) ? $"Dispose took {disposing.TotalSeconds:0.0} s"
            : Children.WaitUntilNone(TimeSpan.FromSeconds(10)) is { Length: > 0 } left ? $"workers left after Dispose: {string.Join(", ", left)}"
            : null;
        Tally tally = Tally.Of(results, count);
        return new Outcome(kills, count, 0, tally.Duplicates, count - results.Count, tally.Wrong, problem);
    }

    /// <summary>SIGSTOP on a busy worker: with a task timeout it is killed and replaced, and only its task fails.</summary>
    private static Outcome StoppedWorker()
    {
        string pidFile = Path.Combine(Path.GetTempPath(), $"chaos-{Environment.ProcessId}.pid");
        File.Delete(pidFile);
        Environment.SetEnvironmentVariable(PidFileVariable, pidFile);
        using var pool = new ProcessPool(workers: 2, taskTimeout: TimeSpan.FromSeconds(2));
        Task<int[]> map = Task.Run(() => pool.Map(Slow, Enumerable.Range(0, 200), chunkSize: 1));
        int stopped = WaitForPid(pidFile);
        File.Delete(pidFile);
        Signals.Kill(stopped, Signals.SIGSTOP);
        string? problem = null;
        try
        {
            map.GetAwaiter().GetResult();
            problem = "the map succeeded although a worker was stopped";
        }
        catch (AggregateException failure)
        {
            if (failure.InnerExceptions is not [PoolTaskException { InnerException: TimeoutException }])
            {
                problem = $"expected one task to time out, got: {failure.Message}";
            }
        }

        if (problem is null && Children.IsStopped(stopped))
        {
            problem = $"the stopped worker {stopped} is still there";
        }

        return new Outcome(1, 200, 0, 0, 1, 0, problem ?? Afterwards(pool));
    }

    /// <summary>retries: 0 and a worker killed while it holds task 7: exactly task 7 fails, with WorkerCrashedException.</summary>
    private static Outcome KilledWithoutRetry()
    {
        string pidFile = Path.Combine(Path.GetTempPath(), $"chaos-{Environment.ProcessId}.pid");
        File.Delete(pidFile);
        Environment.SetEnvironmentVariable(PidFileVariable, pidFile);
        try
        {
            using var pool = new ProcessPool(workers: 2, retries: 0);
            Task<int[]> map = Task.Run(() => pool.Map(HoldSeven, Enumerable.Range(0, 20), chunkSize: 1));
            int holder = WaitForPid(pidFile);
            Signals.Kill(holder, Signals.SIGKILL);
            string? problem = null;
            try
            {
                map.GetAwaiter().GetResult();
                problem = "the map succeeded although its worker was killed";
            }
            catch (AggregateException failure)
            {
                if (failure.InnerExceptions is not [PoolTaskException { InputIndex: 7, InnerException: WorkerCrashedException { WorkerProcessId: int pid } }]
                    || pid != holder)
                {
                    problem = $"expected exactly task 7 to fail with WorkerCrashedException (pid {holder}), got: {failure.Message}";
                }
            }

            return new Outcome(1, 20, 0, 0, 1, 0, problem ?? Afterwards(pool));
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    /// <summary>The same map with and without kills, for the time it costs.</summary>
    private static Outcome Overhead(int seed, (int Min, int Max) every, int count)
    {
        using var pool = new ProcessPool(workers: 2, retries: 10);
        _ = pool.Map(Tag, Enumerable.Range(0, count));
        var watch = Stopwatch.StartNew();
        Tally calm = Tally.Of(pool.MapUnordered(Tag, Enumerable.Range(0, count)), count);
        TimeSpan withoutKills = watch.Elapsed;
        Tally tally;
        int kills;
        watch.Restart();
        using (var killer = new Killer(seed, every.Min, every.Max))
        {
            tally = Tally.Of(pool.MapUnordered(Tag, Enumerable.Range(0, count)), count);
            kills = killer.Kills;
        }

        TimeSpan withKills = watch.Elapsed;
        Console.WriteLine($"BENCH chaos_time_overhead {withKills / withoutKills:0.00} x");
        Console.WriteLine($"# {count:N0} tasks: {withoutKills.TotalMilliseconds:0} ms without kills, {withKills.TotalMilliseconds:0} ms with {kills} kills");
        return tally.Outcome(kills, calm.Lost + calm.Duplicates + calm.Wrong > 0 ? "the map without kills lost or repeated results" : Afterwards(pool));
    }

    /// <summary>Repeats <paramref name="round"/> until <paramref name="kills"/> reaches the scenario's target or its time is up.</summary>
    private static Tally Rounds(Func<int> kills, Func<Tally> round)
    {
        var watch = Stopwatch.StartNew();
        Tally total = round();
        while (kills() < s_kills && watch.Elapsed < s_budget)
        {
            total += round();
        }

        return total;
    }

    /// <summary>A check that the pool still runs tasks: <see langword="null"/> when it does, else what went wrong.</summary>
    private static string? Afterwards(ProcessPool pool)
    {
        try
        {
            long[] results = pool.Map(Tag, [1, 2, 3]);
            return results.SequenceEqual([Expected(1), Expected(2), Expected(3)]) ? null : "the pool gave wrong results afterwards";
        }
        catch (Exception exception) when (exception is BrokenPoolException or AggregateException)
        {
            return $"the pool does not work afterwards: {exception.Message}";
        }
    }

    private static int WaitForPid(string file)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if (int.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    return pid;
                }
            }
            catch (FileNotFoundException)
            {
                // Not written yet.
            }

            Thread.Sleep(10);
        }

        throw new TimeoutException($"No task wrote {file} within 30 s.");
    }

    /// <summary>
    /// The .NET runtime's own diagnostics endpoints (<c>dotnet-diagnostic-{pid}-…</c>, <c>clr-debug-pipe-{pid}-…</c>),
    /// which every .NET process makes in the temporary directory and a SIGKILLed one cannot remove: not the pool's.
    /// </summary>
    internal static bool IsRuntimeDiagnostics(string path) =>
        Path.GetFileName(path) is string name
        && (name.StartsWith("dotnet-diagnostic-", StringComparison.Ordinal) || name.StartsWith("clr-debug-pipe-", StringComparison.Ordinal));

    /// <summary>The index in the high bits and a hash of it in the low ones: a wrong or repeated result shows.</summary>
    [RunInProcess]
    private static long Tag(int index) => Expected(index);

    /// <summary>A result of 200 KB, larger than a lane: its first four bytes hold the index, the rest its low byte.</summary>
    [RunInProcess]
    private static byte[] Large(int index)
    {
        byte[] result = new byte[200 * 1024];
        result.AsSpan().Fill((byte)index);
        BitConverter.TryWriteBytes(result, index);
        return result;
    }

    /// <summary>Task 20 writes its worker's pid to the file the parent watches: a worker that is running tasks.</summary>
    [RunInProcess]
    private static int Slow(int index)
    {
        if (index == 20)
        {
            File.WriteAllText(Environment.GetEnvironmentVariable(PidFileVariable)!, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        Thread.Sleep(10);
        return index;
    }

    /// <summary>Task 7 writes its worker's pid to the file the parent watches, then waits to be killed.</summary>
    [RunInProcess]
    private static int HoldSeven(int index)
    {
        if (index == 7)
        {
            File.WriteAllText(Environment.GetEnvironmentVariable(PidFileVariable)!, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Thread.Sleep(TimeSpan.FromMinutes(1));
        }

        return index;
    }

    private static long Expected(int index)
    {
        long hash = index;
        for (int i = 0; i < 200; i++)
        {
            hash = ((hash * 31) + i) % 1_000_003;
        }

        return ((long)index << 24) | hash;
    }

    /// <summary>The tag of a large result, or -1 when its bytes are wrong.</summary>
    private static long CheckLarge(byte[] result)
    {
        int index = BitConverter.ToInt32(result);
        bool right = result.Length == 200 * 1024 && result.AsSpan(4).IndexOfAnyExcept((byte)index) < 0;
        return right ? Expected(index) : -1;
    }

    /// <summary>Counts results by the index they carry: missing, repeated and wrong ones.</summary>
    private sealed record Tally(int Lost, int Duplicates, int Wrong, int Count)
    {
        public static Tally Of(IEnumerable<long> results, int count)
        {
            int[] seen = new int[count];
            int wrong = 0;
            foreach (long result in results)
            {
                int index = (int)(result >> 24);
                if (result < 0 || index >= count || result != Expected(index))
                {
                    wrong++;
                    continue;
                }

                seen[index]++;
            }

            return new Tally(seen.Count(times => times == 0), seen.Count(times => times > 1), wrong, count);
        }

        public Outcome Outcome(int kills, string? problem) => new(kills, Count, Lost, Duplicates, 0, Wrong, problem);

        public static Tally operator +(Tally left, Tally right) =>
            new(left.Lost + right.Lost, left.Duplicates + right.Duplicates, left.Wrong + right.Wrong, left.Count + right.Count);
    }
}

/// <summary>What one scenario saw: kills, tasks, results lost, repeated or wrong, tasks that failed as expected, and what broke.</summary>
internal sealed record Outcome(int Kills, int Tasks, int Lost, int Duplicates, int Failed, int Wrong, string? Problem);

/// <summary>Runs the scenarios, prints one line each, and sums them up.</summary>
internal sealed class Report(int seed)
{
    private readonly List<string> _failures = [];
    private int _kills;
    private int _lost;
    private int _duplicates;

    public void Run(string name, Func<Outcome> scenario)
    {
        var watch = Stopwatch.StartNew();
        Outcome outcome;
        try
        {
            outcome = scenario();
        }
        catch (Exception exception)
        {
            outcome = new Outcome(0, 0, 0, 0, 0, 0, $"{exception.GetType().Name}: {exception.Message}");
        }

        _kills += outcome.Kills;
        _lost += outcome.Lost;
        _duplicates += outcome.Duplicates;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scenario '{name}': {outcome.Kills} kills, {outcome.Tasks} tasks, {outcome.Lost} lost, {outcome.Duplicates} duplicates, {outcome.Wrong} wrong, {outcome.Failed} failed, {watch.ElapsedMilliseconds} ms"));
        Check(name, outcome.Lost + outcome.Duplicates + outcome.Wrong > 0
            ? $"{outcome.Lost} lost, {outcome.Duplicates} duplicates, {outcome.Wrong} wrong{(outcome.Problem is null ? "" : "; " + outcome.Problem)}"
            : outcome.Problem);
    }

    public void Check(string name, string? problem)
    {
        if (problem is not null)
        {
            _failures.Add($"{name}: {problem}");
        }
    }

    public int Finish()
    {
        Console.WriteLine($"BENCH chaos_kills_survived {_kills} kills");
        Console.WriteLine($"BENCH chaos_tasks_lost {_lost} tasks");
        Console.WriteLine($"BENCH chaos_duplicates {_duplicates} results");

        foreach (string failure in _failures)
        {
            Console.WriteLine($"FAILED (seed {seed}) {failure}");
        }

        Console.WriteLine(_failures.Count == 0 ? $"chaos: passed, {_kills} kills survived" : $"chaos: {_failures.Count} checks failed (seed {seed})");
        return _failures.Count == 0 ? 0 : 1;
    }
}
