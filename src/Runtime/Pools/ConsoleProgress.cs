using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace ParallelDsl;

/// <summary>
/// A progress bar for pool calls, tqdm's in spirit: pass <c>progress: ConsoleProgress.Bar("squares")</c> to a map.
/// On a terminal it redraws one line in place: description, percentage, a bar, count/total, elapsed time, ETA, rate
/// and failures. When the output is redirected (a file, a pipe, a CI log) it writes a plain line every
/// <c>interval</c> instead, and always a last one when the call ends.
/// </summary>
/// <remarks>
/// Reports come from the pool's threads; the bar is safe to share between them. One bar may serve several calls in a
/// row: a call that starts after the previous one ended starts the bar again. It writes to <see cref="Console.Out"/>
/// unless given a writer.
/// </remarks>
public sealed class ConsoleProgress : IProgress<PoolProgress>
{
    private const int BarCells = 24;
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly string? _description;
    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly long _interval;
    private long _startedAt;
    private long _drawnAt;
    private PoolProgress _last;
    private bool _running;
    private int _calls;

    private ConsoleProgress(string? description, TextWriter output, bool terminal, TimeSpan interval)
    {
        _description = description;
        _output = output;
        _terminal = terminal;
        _interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _startedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>A bar on the console: drawn in place on a terminal, plain lines when the output is redirected.</summary>
    /// <param name="description">Shown before the bar (<c>squares: 45%|…</c>); none when <see langword="null"/>.</param>
    /// <param name="interval">How often a redirected output gets a line (default 1 second); a terminal is redrawn at most every 0.1 s.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public static ConsoleProgress Bar(string? description = null, TimeSpan? interval = null) =>
        Bar(Console.Out, terminal: !Console.IsOutputRedirected, description, interval);

    /// <summary>A bar written to <paramref name="output"/>: redrawn in place when <paramref name="terminal"/>, plain lines otherwise.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="terminal">Whether <paramref name="output"/> is a terminal that understands a carriage return.</param>
    /// <param name="description">Shown before the bar; none when <see langword="null"/>.</param>
    /// <param name="interval">How often plain lines are written (default 1 second).</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    public static ConsoleProgress Bar(TextWriter output, bool terminal, string? description = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        TimeSpan every = interval ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, TimeSpan.Zero, nameof(interval));
        return new ConsoleProgress(description, output, terminal, terminal ? TerminalInterval : every);
    }

    /// <summary>Draws (or, between two draws, just records) the progress of a call.</summary>
    public void Report(PoolProgress value)
    {
        lock (_lock)
        {
            long now = Stopwatch.GetTimestamp();
            if (_running && value.Total == _last.Total && value.Completed < _last.Completed)
            {
                // A report overtaken by a later one on another thread: the bar only moves forward.
                return;
            }

            if (!_running || value.Total != _last.Total)
            {
                // A new call: the first one started when the bar was made (at the call), a later one starts now.
                _running = true;
                _startedAt = _calls++ == 0 ? _startedAt : now;
                _drawnAt = 0;
            }

            _last = value;
            bool ended = value.Completed >= value.Total;
            if (!ended && _drawnAt != 0 && now - _drawnAt < _interval)
            {
                return;
            }

            _drawnAt = now;
            string line = Describe(value, Stopwatch.GetElapsedTime(_startedAt, now));
            if (_terminal)
            {
                _output.Write($"\r{line}\u001b[K{(ended ? Environment.NewLine : "")}");
            }
            else
            {
                _output.WriteLine(line);
            }

            _output.Flush();
            if (ended)
            {
                _running = false;
            }
        }
    }

    private string Describe(PoolProgress value, TimeSpan elapsed)
    {
        double fraction = value.Total == 0 ? 1 : (double)value.Completed / value.Total;
        double rate = elapsed > TimeSpan.Zero ? value.Completed / elapsed.TotalSeconds : 0;
        string eta = rate > 0 ? Clock(TimeSpan.FromSeconds((value.Total - value.Completed) / rate)) : "?";
        var text = new StringBuilder();
        if (_description is not null)
        {
            text.Append(_description).Append(": ");
        }

        text.Append(CultureInfo.InvariantCulture, $"{fraction * 100,3:0}%");
        if (_terminal)
        {
            int full = (int)(fraction * BarCells);
            text.Append('|').Append('█', full).Append(' ', BarCells - full).Append('|');
        }

        text.Append(CultureInfo.InvariantCulture, $" {value.Completed}/{value.Total} [{Clock(elapsed)}<{eta}, {Rate(rate)}]");
        if (value.Failed > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {value.Failed} failed");
        }

        return text.ToString();
    }

    private static string Rate(double perSecond) =>
        perSecond >= 1 || perSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0} tasks/s")
            : string.Create(CultureInfo.InvariantCulture, $"{1 / perSecond:0.0} s/task");

    private static string Clock(TimeSpan time) =>
        time.TotalHours >= 1
            ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : time.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}
