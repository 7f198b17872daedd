namespace ParallelDsl.Tests.Processes;

/// <summary>Looks processes up in /proc, where a zombie (exited, not yet reaped) counts as not running.</summary>
internal static class ProcessTree
{
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
        string afterName = stat[(stat.LastIndexOf(')') + 2)..];
        return afterName[0] is not ('Z' or 'X');
    }

    /// <summary>Polls until none of <paramref name="pids"/> runs; returns those still running after <paramref name="timeout"/>.</summary>
    public static int[] WaitUntilGone(IReadOnlyCollection<int> pids, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        int[] running = [.. pids.Where(IsRunning)];
        while (running.Length > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            running = [.. running.Where(IsRunning)];
        }

        return running;
    }
}
