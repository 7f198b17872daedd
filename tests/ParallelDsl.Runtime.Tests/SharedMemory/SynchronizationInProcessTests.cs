namespace ParallelDsl.Runtime.Tests.SharedMemory;

public class SynchronizationInProcessTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public void TryLock_times_out_while_another_thread_holds_the_lock_and_succeeds_after()
    {
        using var gate = new CrossProcessLock();
        using (HoldOnAnotherThread(gate))
        {
            Assert.False(gate.TryLock(Short, out LockScope failed));
            Assert.False(failed.IsHeld);
            Assert.False(gate.TryLock(TimeSpan.Zero, out _));
        }

        Assert.True(gate.TryLock(Safety, out LockScope acquired));
        Assert.True(acquired.IsHeld);
        Assert.False(acquired.WasAbandoned);
        acquired.Dispose();
        Assert.False(acquired.IsHeld);
    }

    [Fact]
    public void The_lock_is_recursive_on_one_thread()
    {
        using var gate = new CrossProcessLock();
        using LockScope outer = gate.Lock();
        using LockScope inner = gate.Lock();
        Assert.True(inner.IsHeld);
    }

    [Fact]
    public void A_cancelled_lock_wait_throws_OperationCanceledException()
    {
        using var gate = new CrossProcessLock();
        using (HoldOnAnotherThread(gate))
        {
            using var cancel = new CancellationTokenSource(Short);
            Assert.ThrowsAny<OperationCanceledException>(() => { using LockScope scope = gate.Lock(cancel.Token); });
        }
    }

    [Fact]
    public void A_thread_that_ends_while_holding_the_lock_abandons_it_and_the_next_holder_is_told_once()
    {
        using var counter = new Shared<int>();
        var holder = new Thread(() => _ = counter.Lock());
        holder.Start();
        holder.Join();

        using (LockScope first = counter.Lock())
        {
            Assert.True(first.WasAbandoned);
        }

        using LockScope second = counter.Lock();
        Assert.False(second.WasAbandoned);
    }

    [Fact]
    public void Negative_timeouts_are_rejected()
    {
        using var gate = new CrossProcessLock();
        using var signal = new CrossProcessEvent();
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.TryLock(TimeSpan.FromSeconds(-2), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => signal.Wait(TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task An_event_releases_waiters_when_set_until_it_is_reset()
    {
        using var signal = new CrossProcessEvent();
        Assert.False(signal.IsSet);
        Assert.False(signal.Wait(Short));

        Task<bool> waiter = Task.Run(() => signal.Wait(Safety));
        signal.Set();
        Assert.True(await waiter.WaitAsync(Safety));
        Assert.True(signal.Wait(TimeSpan.Zero));

        signal.Reset();
        Assert.False(signal.IsSet);
        Assert.False(signal.Wait(Short));
        using var initiallySet = new CrossProcessEvent(initiallySet: true);
        Assert.True(initiallySet.Wait(TimeSpan.Zero));
    }

    [Fact]
    public void A_cancelled_event_wait_throws_OperationCanceledException()
    {
        using var signal = new CrossProcessEvent();
        using var cancel = new CancellationTokenSource(Short);
        Assert.ThrowsAny<OperationCanceledException>(() => signal.Wait(cancel.Token));
    }

    [Fact]
    public async Task A_semaphore_hands_out_its_permits_and_refuses_more_than_the_maximum()
    {
        using var semaphore = new CrossProcessSemaphore(2, 2);
        Assert.True(semaphore.Wait(TimeSpan.Zero));
        Assert.True(semaphore.Wait(TimeSpan.Zero));
        Assert.False(semaphore.Wait(Short));
        Assert.Equal(0, semaphore.CurrentCount);

        Task<bool> waiter = Task.Run(() => semaphore.Wait(Safety));
        Assert.Equal(0, semaphore.Release());
        Assert.True(await waiter.WaitAsync(Safety));

        Assert.Equal(0, semaphore.Release(2));
        Assert.Throws<SemaphoreFullException>(() => semaphore.Release());
        Assert.Equal(2, semaphore.CurrentCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrossProcessSemaphore(3, 2));
    }

    [Fact]
    public void Synchronization_objects_open_by_handle_name_and_reject_the_wrong_kind()
    {
        using var signal = new CrossProcessEvent();
        using CrossProcessEvent view = CrossProcessEvent.OpenHandle(signal.HandleName);
        view.Set();
        Assert.True(signal.IsSet);

        var wrongKind = Assert.Throws<ArgumentException>(() => CrossProcessSemaphore.OpenHandle(signal.HandleName));
        Assert.Contains("not a CrossProcessSemaphore", wrongKind.Message, StringComparison.Ordinal);
    }

    /// <summary>Takes <paramref name="gate"/> on a new thread; disposing the result makes that thread release it and end.</summary>
    private static Holder HoldOnAnotherThread(CrossProcessLock gate) => new(gate);

    private sealed class Holder : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly Thread _thread;

        public Holder(CrossProcessLock gate)
        {
            using var held = new ManualResetEventSlim();
            _thread = new Thread(() =>
            {
                using LockScope scope = gate.Lock();
                held.Set();
                _release.Wait();
            });
            _thread.Start();
            held.Wait();
        }

        public void Dispose()
        {
            _release.Set();
            _thread.Join();
            _release.Dispose();
        }
    }
}
