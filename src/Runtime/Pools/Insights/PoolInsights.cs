using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ParallelDsl;

/// <summary>
/// A snapshot of what a pool's workers have done since it started, per worker slot and in total (mpire's
/// <c>print_insights</c>): time starting, waiting, running, encoding and decoding; tasks done, failed and retried;
/// workers lost and replaced. <see cref="ToString"/> prints it as a table. Reading it costs a pass over the slots; the
/// counters behind it are kept whether or not anyone reads them, and cost no lock and no allocation per task.
/// </summary>
public sealed record PoolInsights
{
    /// <summary>The pool's name.</summary>
    public required string Pool { get; init; }

    /// <summary>How long the pool has been running (until it stopped, once it has).</summary>
    public required TimeSpan Uptime { get; init; }

    /// <summary>One entry per worker slot, by slot number.</summary>
    public required IReadOnlyList<WorkerInsights> Workers { get; init; }

    /// <summary>The most recent failed tasks across the pool (up to 16 per slot), oldest first.</summary>
    public required IReadOnlyList<PoolFailure> RecentFailures { get; init; }

    /// <summary>Tasks that succeeded, over every worker.</summary>
    public long TasksDone => Workers.Sum(worker => worker.TasksDone);

    /// <summary>Tasks that failed, over every worker.</summary>
    public long TasksFailed => Workers.Sum(worker => worker.TasksFailed);

    /// <summary>Retries of tasks whose worker died, over every worker.</summary>
    public long TasksRetried => Workers.Sum(worker => worker.TasksRetried);

    /// <summary>Workers that died and were replaced, over every slot.</summary>
    public int WorkersLost => Workers.Sum(worker => worker.WorkersLost);

    /// <summary>Workers started, over every slot (the first ones and their replacements).</summary>
    public int WorkersStarted => Workers.Sum(worker => worker.WorkersStarted);

    /// <summary>Time spent starting workers, over every slot.</summary>
    public TimeSpan Starting => Total(worker => worker.Starting);

    /// <summary>Time spent with no work, over every slot.</summary>
    public TimeSpan Waiting => Total(worker => worker.Waiting);

    /// <summary>Time spent running tasks, over every slot.</summary>
    public TimeSpan Running => Total(worker => worker.Running);

    /// <summary>Time spent encoding arguments, over every slot.</summary>
    public TimeSpan Encoding => Total(worker => worker.Encoding);

    /// <summary>Time spent decoding results, over every slot.</summary>
    public TimeSpan Decoding => Total(worker => worker.Decoding);

    /// <summary>The insights as a table: one row per worker and a total row.</summary>
    public override string ToString()
    {
        string[] header = ["worker", "pid", "state", "done", "failed", "retried", "lost", "starting", "waiting", "running", "encoding", "decoding", "running %"];
        var rows = new List<string[]> { header };
        foreach (WorkerInsights worker in Workers)
        {
            rows.Add(
            [
                worker.WorkerName ?? $"slot {worker.Slot}",
                worker.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "-",
                worker.Activity.ToString().ToLowerInvariant(),
                Count(worker.TasksDone),
                Count(worker.TasksFailed),
                Count(worker.TasksRetried),
                Count(worker.WorkersLost),
                Time(worker.Starting),
                Time(worker.Waiting),
                Time(worker.Running),
                Time(worker.Encoding),
                Time(worker.Decoding),
                Share(worker.Running, worker.Starting + worker.Waiting + worker.Running),
            ]);
        }

        rows.Add(
        [
            "total", "", "", Count(TasksDone), Count(TasksFailed), Count(TasksRetried), Count(WorkersLost),
            Time(Starting), Time(Waiting), Time(Running), Time(Encoding), Time(Decoding), Share(Running, Starting + Waiting + Running),
        ]);

        int[] widths = [.. Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length))];
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Pool}: {Workers.Count} workers, up {Time(Uptime)}").AppendLine();
        for (int r = 0; r < rows.Count; r++)
        {
            if (r == 1 || r == rows.Count - 1)
            {
                text.AppendJoin("  ", widths.Select(width => new string('-', width))).AppendLine();
            }

            text.AppendJoin("  ", rows[r].Select((cell, column) => column < 3 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column])).ToArray()).AppendLine();
        }

        foreach (WorkerInsights worker in Workers.Where(worker => worker.PreviousWorker is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"slot {worker.Slot}: {worker.WorkersStarted} workers started; last replaced: {worker.PreviousWorker}").AppendLine();
        }

        return text.ToString();
    }

    private TimeSpan Total(Func<WorkerInsights, TimeSpan> of) => new(Workers.Sum(worker => of(worker).Ticks));

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(TimeSpan time) =>
        time.TotalSeconds >= 100 ? time.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)
        : time.TotalSeconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.0} ms");

    private static string Share(TimeSpan part, TimeSpan whole) =>
        whole <= TimeSpan.Zero ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part.Ticks / whole.Ticks:0.0}");
}
