using System;
using System.ComponentModel;
using System.Threading;

namespace ParallelDsl.GeneratedSupport;

/// <summary>
/// Admits at most a fixed number of concurrent executions of one method: the generated code keeps one gate per
/// <see cref="RunInThreadAttribute"/> method that sets <see cref="RunInThreadAttribute.MaxConcurrency"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ConcurrencyGate
{
    private readonly object _lock = new();
    private int _running;

    /// <summary>Creates a gate that admits <paramref name="maxConcurrency"/> callers at a time.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1.</exception>
    public ConcurrencyGate(int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        MaxConcurrency = maxConcurrency;
    }

    /// <summary>The number of callers admitted at a time.</summary>
    public int MaxConcurrency { get; }

    internal void Enter()
    {
        lock (_lock)
        {
            while (_running == MaxConcurrency)
            {
                Monitor.Wait(_lock);
            }

            _running++;
        }
    }

    internal void Exit()
    {
        lock (_lock)
        {
            _running--;
            Monitor.Pulse(_lock);
        }
    }
}
