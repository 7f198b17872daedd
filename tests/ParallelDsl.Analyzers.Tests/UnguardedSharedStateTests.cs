using VerifyCS = ParallelDsl.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ParallelDsl.Analyzers.Rules.UnguardedSharedStateAnalyzer>;

namespace ParallelDsl.Analyzers.Tests;

/// <summary>
/// PDSL0001: a member written by concurrent code without a lock, Interlocked or Volatile while other code touches
/// it at the same time — reported once per member, at the write, with the conflicting access and the thread start.
/// </summary>
public class UnguardedSharedStateTests
{
    private static readonly Microsoft.CodeAnalysis.DiagnosticDescriptor Rule = DiagnosticDescriptors.UnguardedSharedState;

    // ---- must report ----

    [Fact]
    public Task Counter_incremented_in_a_thread_method_is_reported_with_the_field_and_the_method() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static int s_total;
                [RunInThread]
                static void {|#2:Add|}(int times)
                {
                    for (int i = 0; i < times; i++)
                    {
                        {|#0:s_total|}++;
                        System.Console.WriteLine(i);
                    }
                }
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(0).WithLocation(2)
                .WithArguments("s_total", "[RunInThread] method 'Add', and other runs of it can write it at the same time"));

    [Fact]
    public Task Compound_and_plain_writes_and_x_equals_x_plus_one_are_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Stats
            {
                static long s_bytes;
                static double s_average;
                int _count;
                string? _last;
                [RunInThread]
                void Record(int size, string name)
                {
                    {|PDSL0001:s_bytes|} += size;
                    {|PDSL0001:s_average|} = s_average * 0.9;
                    {|PDSL0001:_count|} = _count + 1;
                    {|PDSL0001:this._last|} = name;
                    System.Console.WriteLine(name);
                }
            }
            """);

    [Fact]
    public Task Writes_in_delegates_given_to_threads_tasks_the_pool_and_parallel_loops_are_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Work
            {
                static int s_a, s_b, s_c, s_d, s_e, s_f;
                static void Start()
                {
                    new Thread(() => {|PDSL0001:s_a|}++).Start();
                    Task.Run(() => { {|PDSL0001:s_b|} += 2; });
                    ThreadPool.QueueUserWorkItem(_ => {|PDSL0001:s_c|}--);
                    Parallel.For(0, 10, i => {|#0:s_d|} += i);
                    Task.Factory.StartNew(Bump);
                    Parallel.Invoke(() => {|PDSL0001:s_f|} = 1, () => System.Console.WriteLine());
                }
                static void Bump() => {|#1:s_e|}++;
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithArguments("s_d", "a lambda given to Parallel.For (started at Test0.cs:11), and other runs of it can write it at the same time")
                .WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations),
            VerifyCS.Diagnostic(Rule).WithLocation(1).WithArguments("s_e", "method 'Bump' given to TaskFactory.StartNew (started at Test0.cs:12), and other runs of it can write it at the same time")
                .WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task Writes_in_methods_called_from_two_threads_are_reported_once_with_the_path_and_the_other_writer() =>
        VerifyCS.VerifyAsync(
            [
                """
                using ParallelDsl;
                partial class Crawler
                {
                    [RunInThread] static void {|#2:First|}() => Helpers.CountPage();
                    [RunInThread] static void Second() { Helpers.CountPage(); Helpers.CountPage(); }
                }
                """,
                """
                static class Helpers
                {
                    public static int Pages;
                    public static void CountPage() => Deeper();
                    static void Deeper() => {|#0:Pages|}++;
                }
                """,
            ],
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(0).WithLocation(2).WithArguments("Pages",
                "'Deeper', called from [RunInThread] method 'First', and 'Deeper', called from [RunInThread] method 'Second' writes it at Test1.cs:5"));

    [Fact]
    public Task A_lock_around_starting_a_thread_does_not_guard_the_thread() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            class Work
            {
                static readonly object Gate = new();
                static int s_value;
                static Task Start()
                {
                    lock (Gate)
                    {
                        return Task.Run(() => {|PDSL0001:s_value|}++);
                    }
                }
            }
            """);

    [Fact]
    public Task A_static_auto_property_written_from_a_thread_is_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            static class Stats
            {
                public static int Count { get; set; }
                public static string? Last { get; set; }
            }
            partial class Crawler
            {
                [RunInThread]
                static void Crawl(string url)
                {
                    {|PDSL0001:Stats.Count|}++;
                    {|PDSL0001:Stats.Last|} = url;
                    System.Console.WriteLine(url);
                }
            }
            """);

    [Fact]
    public Task A_compound_write_through_a_ref_local_is_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Counter
            {
                static int s_counter;
                static long s_bytes;
                [RunInThread]
                static void Work(int size)
                {
                    ref int c = ref s_counter;
                    {|PDSL0001:c|}++;
                    ref long b = ref s_bytes;
                    {|PDSL0001:b|} += size;
                    System.Console.WriteLine(size);
                }
            }
            """);

    [Fact]
    public Task A_reader_loop_assigning_a_field_that_dispose_reads_is_reported_with_both_and_the_start() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.IO;
            using System.Threading;
            sealed class Connection : IDisposable
            {
                private readonly object _gate = new();
                private Stream? _stream;
                private bool _closed;
                public void Open() => {|#2:new Thread(ReadLoop)|}.Start();
                private void ReadLoop()
                {
                    while (!_closed)
                    {
                        {|#0:_stream|} = Reconnect();
                        _stream.ReadByte();
                    }
                }
                private static Stream Reconnect() => new MemoryStream();
                public void Dispose()
                {
                    _closed = true;
                    lock (_gate)
                    {
                        {|#1:_stream|}?.Dispose();
                    }
                }
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_stream",
                "method 'ReadLoop' given to new Thread (started at Test0.cs:9), and 'Dispose' reads it at Test0.cs:24"));

    [Fact]
    public Task The_starting_method_reading_after_the_start_races_with_the_thread() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            sealed class Job
            {
                private int _progress;
                public int Run()
                {
                    Task.Run(() => { for (int i = 0; i < 100; i++) {|#0:_progress|} = i; });
                    return {|#1:_progress|};
                }
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(1).WithLocation(0).WithArguments("_progress",
                "a lambda given to Task.Run (started at Test0.cs:7), and 'Run' reads it at Test0.cs:8")
                .WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task A_timer_and_a_thread_writing_the_same_field_are_reported_once() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Threading;
            sealed class Heartbeat : IDisposable
            {
                private long _lastSeen;
                private readonly Timer _timer;
                public Heartbeat()
                {
                    _timer = new Timer(_ => {|PDSL0001:_lastSeen|} = 0, null, 1000, 1000);
                    new Thread(() => { while (true) { _lastSeen = DateTime.UtcNow.Ticks; Thread.Sleep(10); } }).Start();
                }
                public void Dispose() => _timer.Dispose();
            }
            """);

    [Fact]
    public Task A_system_timers_elapsed_handler_racing_with_a_public_method_is_reported() =>
        VerifyCS.VerifyAsync("""
            sealed class Poller
            {
                private readonly System.Timers.Timer _timer = new(100);
                private int _misses;
                public Poller() => _timer.Elapsed += (_, _) => {|PDSL0001:_misses|}++;
                public void Reset() => _misses = 0;
            }
            """);

    [Fact]
    public Task A_helper_called_under_a_lock_from_one_site_but_not_the_other_is_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Cache
            {
                static readonly object Gate = new();
                static int s_size;
                [RunInThread]
                static void Fill()
                {
                    lock (Gate) { Grow(); }
                    Grow();
                }
                static void Grow() => {|PDSL0001:s_size|}++;
            }
            """);

    [Fact]
    public Task A_single_writer_counter_read_without_volatile_by_another_thread_is_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            sealed class Reader
            {
                private long _received;
                public void Start() => new Thread(() => { while (true) { {|PDSL0001:_received|}++; } }).Start();
                public long Received => _received;
            }
            """);

    // ---- must not report ----

    [Fact]
    public Task Calls_deeper_than_the_bound_are_not_followed() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Chain
            {
                static int s_value;
                [RunInThread] static void Root() => A();
                static void A() => B();
                static void B() => C();
                static void C() => D();
                static void D() => s_value++;
            }
            """);

    [Fact]
    public Task Guarded_writes_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Threading;
            using ParallelDsl;
            partial class Guarded
            {
                static readonly object Gate = new();
                static readonly Lock NewGate = new();
                static readonly SemaphoreSlim Semaphore = new(1);
                static readonly ReaderWriterLockSlim Rw = new();
                static int s_a, s_b, s_c, s_d, s_e, s_f, s_g, s_h;
                [RunInThread]
                static void Work()
                {
                    lock (Gate) { s_a++; }
                    using (NewGate.EnterScope()) { s_b += 2; }
                    Monitor.Enter(Gate);
                    try { s_c = s_c + 1; } finally { Monitor.Exit(Gate); }
                    Semaphore.Wait();
                    try { s_d--; } finally { Semaphore.Release(); }
                    Rw.EnterWriteLock();
                    try { s_e = 5; } finally { Rw.ExitWriteLock(); }
                    Interlocked.Increment(ref s_f);
                    Interlocked.Add(ref s_g, 10);
                    Volatile.Write(ref s_h, 3);
                    lock (Gate)
                    {
                        Tally();
                    }
                }
                static void Tally() { }
            }
            """);

    [Fact]
    public Task Thread_local_readonly_volatile_and_non_shared_state_is_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Collections.Concurrent;
            using System.Threading;
            using ParallelDsl;
            partial class Safe
            {
                [System.ThreadStatic] static int t_perThread;
                static readonly ThreadLocal<int> Local = new();
                static readonly ConcurrentQueue<int> Queue = new();
                static volatile bool s_stop;
                static int s_notConcurrent;
                sealed class Box { public int Value; }
                [RunInThread]
                static void Work(Box shared)
                {
                    t_perThread++;
                    Local.Value++;
                    Queue.Enqueue(1);
                    s_stop = true;
                    var mine = new Box();
                    mine.Value++;
                    int local = 0;
                    local++;
                    System.Console.WriteLine(local + shared.Value);
                }
                static void Main() => s_notConcurrent++;
            }
            """);

    [Fact]
    public Task An_object_the_thread_creates_and_keeps_is_owned_even_through_calls() =>
        VerifyCS.VerifyAsync("""
            using System.IO;
            using System.Threading;
            sealed class Parser
            {
                private int _position;
                private byte[] _buffer = new byte[16];
                public void Feed(byte value)
                {
                    if (_position == _buffer.Length) Grow();
                    _buffer[_position++] = value;
                }
                private void Grow() => _buffer = new byte[_buffer.Length * 2];
                public int Count => _position;
            }
            sealed class Client
            {
                private readonly Stream _stream = new MemoryStream();
                public void Start() => new Thread(ReadLoop).Start();
                private void ReadLoop()
                {
                    var parser = new Parser();
                    int b;
                    while ((b = _stream.ReadByte()) >= 0)
                    {
                        parser.Feed((byte)b);
                    }
                }
            }
            """);

    [Fact]
    public Task State_only_one_sequential_loop_touches_is_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.IO;
            using System.Threading.Tasks;
            sealed class Reader
            {
                private readonly Stream _stream;
                private int _frames;
                private byte[] _pending = [];
                private long _written;
                public Reader(Stream stream)
                {
                    _stream = stream;
                    _written = 0;
                    Task.Run(ReadLoop);
                }
                private async Task ReadLoop()
                {
                    var chunk = new byte[256];
                    while (await _stream.ReadAsync(chunk) > 0)
                    {
                        _frames++;
                        _pending = chunk;
                        _written = _frames;
                        if (_frames % 100 == 0) System.Console.WriteLine(_pending.Length);
                    }
                }
            }
            """);

    [Fact]
    public Task Writes_under_a_lock_every_caller_holds_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            sealed class Channel
            {
                private readonly object _gate = new();
                private readonly SemaphoreSlim _writeLock = new(1, 1);
                private int _state;
                private long _sent;
                public void Start()
                {
                    new Thread(Loop).Start();
                    Task.Run(SendLoop);
                }
                private void Loop()
                {
                    while (true)
                    {
                        lock (_gate) { SetState(1); }
                        if (TryEnterLock())
                        {
                            try { SetState(2); } finally { ExitLock(); }
                        }
                        if (Monitor.TryEnter(_gate, 10))
                        {
                            try { SetState(3); } finally { Monitor.Exit(_gate); }
                        }
                    }
                }
                private async Task SendLoop()
                {
                    while (true)
                    {
                        await _writeLock.WaitAsync();
                        try { CountSent(); } finally { _writeLock.Release(); }
                    }
                }
                public async Task SendAsync()
                {
                    await _writeLock.WaitAsync();
                    try { CountSent(); } finally { _writeLock.Release(); }
                }
                private bool TryEnterLock() => Monitor.TryEnter(_gate, TimeSpan.FromSeconds(1));
                private void ExitLock() => Monitor.Exit(_gate);
                private void SetState(int value) => _state = value;
                private void CountSent() => _sent++;
                public int State { get { lock (_gate) return _state; } }
                public long Sent { get { lock (_gate) return _sent; } }
            }
            """);

    [Fact]
    public Task Idempotent_lazy_caches_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Lookup
            {
                static string[]? s_names;
                static object? s_table;
                static string? s_label;
                [RunInThread]
                static void Use()
                {
                    s_names ??= Load();
                    if (s_table == null) s_table = new object();
                    string label = s_label ?? (s_label = "ready");
                    System.Console.WriteLine(s_names.Length + label + s_table);
                }
                static string[] Load() => ["a", "b"];
            }
            """);

    [Fact]
    public Task A_single_writer_counter_read_with_volatile_read_is_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            sealed class Reader
            {
                private long _received;
                public void Start() => new Thread(() => { while (true) { _received++; } }).Start();
                public long Received => Volatile.Read(ref _received);
            }
            """);

    [Fact]
    public Task Accesses_before_the_start_after_a_join_and_around_a_parallel_call_are_ordered() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            sealed class Batch
            {
                private int _total, _result;
                private int _a, _b;
                public int Run()
                {
                    _total = 0;
                    var worker = new Thread(() => _total = 42);
                    worker.Start();
                    worker.Join();
                    return _total;
                }
                public async Task<int> RunAsync()
                {
                    _result = 0;
                    await Task.Run(() => _result = 7);
                    return _result;
                }
                public int Both()
                {
                    Parallel.Invoke(() => _a = 1, () => _b = 2);
                    return _a + _b;
                }
            }
            """);

    [Fact]
    public Task Writes_after_waiting_for_the_other_threads_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            sealed class Client
            {
                private Task _receiver = Task.CompletedTask;
                private Task _keepAlive = Task.CompletedTask;
                private bool _closing;
                public void Connect()
                {
                    _receiver = Task.Run(() => { while (!_closing) { } });
                    _keepAlive = Task.Run(Disconnect);
                }
                private async Task Disconnect()
                {
                    await Task.WhenAll(_receiver);
                    _closing = false;
                }
            }
            """);

    [Fact]
    public Task A_field_no_one_else_touches_and_constructor_writes_are_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            sealed class Pump
            {
                private int _ticks;
                private Thread? _thread;
                public Pump()
                {
                    _ticks = 0;
                    _thread = new Thread(() => { while (true) { _ticks++; Thread.Sleep(1); } });
                    _thread.Start();
                }
            }
            """);

    // ---- across processes: Shared<T>.Value and SharedArray<T> elements ----

    [Fact]
    public Task Shared_value_read_modify_written_outside_its_lock_is_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            static class Counters
            {
                public static Shared<int> Hits = null!;
                public static void Count(Shared<long> bytes, int size)
                {
                    {|PDSL0001:Hits.Value|}++;
                    {|PDSL0001:bytes.Value|} += size;
                    {|PDSL0001:Hits.Value|} = Hits.Value * 2;
                    Hits.Value = size;
                    using (Hits.Lock())
                    {
                        Hits.Value++;
                    }

                    using var scope = bytes.Lock();
                    bytes.Value += size;
                }
            }
            """);

    [Fact]
    public Task Shared_array_elements_and_values_read_modify_written_in_process_methods_are_reported() =>
        VerifyCS.VerifyAsync("""
            using ParallelDsl;
            partial class Tally
            {
                [SharedValue(Length = 10)] static partial SharedArray<int> Data { get; }
                [SharedValue] static partial Shared<int> Counter { get; }
                [RunInProcess]
                static void Work(int i)
                {
                    {|#0:Data[i]|} += 1;
                    {|PDSL0001:Data[i]|}++;
                    {|PDSL0001:Data[i + 1]|} -= 2;
                    {|PDSL0001:Counter.Value|} += 1;
                }
            }
            """,
            VerifyCS.Diagnostic(DiagnosticDescriptors.UnguardedSharedState).WithLocation(0).WithArguments("Data[i]",
                "code that runs concurrently: every thread and worker process shares the array; use Interlocked on the element (ref array[i]), or write it inside the array's Lock() scope"));

    [Fact]
    public Task Shared_memory_written_inside_its_lock_atomically_or_plainly_is_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading;
            using ParallelDsl;
            partial class Tally
            {
                [SharedValue(Length = 10)] static partial SharedArray<int> Data { get; }
                [SharedValue] static partial Shared<int> Counter { get; }
                [RunInProcess]
                static void Work(int i)
                {
                    using (Data.Lock())
                    {
                        Data[i] += 1;
                    }

                    Interlocked.Increment(ref Data[i]);
                    Data[i] = i;
                    Counter.Add(1);
                    Counter.Update(v => v + 1);
                    using var scope = Counter.Lock();
                    Counter.Value += 1;
                    int[] local = new int[10];
                    local[i] += 1;
                }
            }
            """);

    // ---- calls through interfaces, callbacks, and state set before the start (shapes from real libraries) ----

    [Fact]
    public Task A_write_reached_through_an_interface_call_in_a_task_is_reported_against_Dispose() =>
        VerifyCS.VerifyAsync("""
            using System.IO;
            using System.Threading.Tasks;
            interface IChannel { Task ConnectAsync(); }
            sealed class TcpChannel : IChannel
            {
                private Stream? _stream;
                public Task ConnectAsync()
                {
                    {|#0:_stream|} = new MemoryStream();
                    return Task.CompletedTask;
                }
                public void Dispose() => {|#1:_stream|}?.Dispose();
            }
            sealed class Adapter(IChannel channel)
            {
                public Task Connect() => {|#2:Task.Run(() => channel.ConnectAsync())|};
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_stream", "'ConnectAsync', called from a lambda given to Task.Run (started at Test0.cs:16), and 'Dispose' reads it at Test0.cs:12"));

    [Fact]
    public Task State_the_loop_changes_through_its_handlers_interface_calls_is_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Collections.Generic;
            using System.Threading;
            interface IPollEvents { void InEvent(); }
            sealed class Poller
            {
                private readonly List<IPollEvents> _handlers = [];
                private bool _retired;
                public void Start() => new Thread(Loop).Start();
                private void Loop()
                {
                    while (true)
                    {
                        foreach (IPollEvents handler in _handlers.ToArray())
                        {
                            handler.InEvent();
                        }

                        if (_retired)
                        {
                            _handlers.RemoveAll(h => h is null);
                            _retired = false;
                        }
                    }
                }
                public void RemoveHandle() => _retired = true;
            }
            sealed class Reaper(Poller poller) : IPollEvents
            {
                public void InEvent() => poller.RemoveHandle();
            }
            """);

    [Fact]
    public Task Handlers_the_thread_subscribes_and_private_callbacks_it_registers_are_part_of_the_thread() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            sealed class Pipe
            {
                public event EventHandler? ReceiveReady;
                public void Poll() => ReceiveReady?.Invoke(this, EventArgs.Empty);
            }
            sealed class Poller
            {
                private readonly List<Action> _callbacks = [];
                public void Add(Action callback) => _callbacks.Add(callback);
                public void Run() { foreach (Action callback in _callbacks) callback(); }
            }
            sealed class Beacon
            {
                private string? _transmit;
                private string? _filter;
                private Poller? _poller;
                public void Start() => new Thread(Run).Start();
                private void Run()
                {
                    var pipe = new Pipe();
                    pipe.ReceiveReady += OnPipeReady;
                    _poller = new Poller();
                    pipe.Poll();
                    _poller.Run();
                }
                private void OnPipeReady(object? sender, EventArgs e)
                {
                    _transmit = "ping";
                    Configure();
                }
                private void Configure() => _poller?.Add(OnUdpReady);
                private void OnUdpReady()
                {
                    if (_transmit is not null && Matches()) Console.WriteLine(_transmit);
                }
                private bool Matches() => _filter is null || _filter == _transmit;
            }
            """);

    [Fact]
    public Task A_private_callback_that_public_code_subscribes_is_not_part_of_the_thread() =>
        VerifyCS.VerifyAsync("""
            using System;
            using System.Threading;
            sealed class Pipe
            {
                public event EventHandler? ReceiveReady;
                public void Poll() => ReceiveReady?.Invoke(this, EventArgs.Empty);
            }
            sealed class Beacon
            {
                private string? _transmit;
                public void Start() => {|#2:new Thread(Run)|}.Start();
                public void Attach(Pipe pipe) => pipe.ReceiveReady += OnPipeReady;
                private void Run()
                {
                    while (true)
                    {
                        {|#0:_transmit|} = DateTime.Now.ToString();
                        Thread.Sleep(100);
                    }
                }
                private void OnPipeReady(object? sender, EventArgs e) => Console.WriteLine({|#1:_transmit|});
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_transmit", "method 'Run' given to new Thread (started at Test0.cs:11), and 'OnPipeReady' reads it at Test0.cs:21"));

    [Fact]
    public Task State_the_caller_sets_before_calling_the_method_that_starts_the_task_is_not_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            sealed class Client
            {
                private object? _unexpectedDisconnect;
                private Task? _receiver;
                public async Task ConnectAsync()
                {
                    _unexpectedDisconnect = null;
                    await ConnectInternal();
                }
                private Task ConnectInternal()
                {
                    _receiver = Task.Run(ReceiveLoop);
                    return Task.CompletedTask;
                }
                private async Task ReceiveLoop()
                {
                    while (true)
                    {
                        await Task.Delay(10);
                        _unexpectedDisconnect = new object();
                    }
                }
            }
            """);

    [Fact]
    public Task State_the_caller_sets_after_calling_the_method_that_starts_the_task_is_reported() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            sealed class Client
            {
                private object? _unexpectedDisconnect;
                private Task? _receiver;
                public async Task ConnectAsync()
                {
                    await ConnectInternal();
                    {|#1:_unexpectedDisconnect|} = null;
                }
                private Task ConnectInternal()
                {
                    _receiver = {|#2:Task.Run(ReceiveLoop)|};
                    return Task.CompletedTask;
                }
                private async Task ReceiveLoop()
                {
                    while (true)
                    {
                        await Task.Delay(10);
                        {|#0:_unexpectedDisconnect|} = new object();
                    }
                }
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_unexpectedDisconnect", "method 'ReceiveLoop' given to Task.Run (started at Test0.cs:13), and 'ConnectAsync' writes it at Test0.cs:9"));

    [Fact]
    public Task An_object_created_into_a_local_declared_null_is_still_owned() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            sealed class Socket
            {
                private object? _stream;
                public object Open() => _stream = new object();
                public void Dispose() => _stream = null;
            }
            sealed class Channel
            {
                private object? _stream;
                public Task Connect() => Task.Run(ConnectCore);
                private void ConnectCore()
                {
                    Socket? socket = null;
                    socket = new Socket();
                    _stream = socket.Open();
                }
                public object? Stream => null;
            }
            """);

    [Fact]
    public Task A_local_declared_null_then_given_a_shared_object_is_not_owned() =>
        VerifyCS.VerifyAsync("""
            using System.Threading.Tasks;
            sealed class Socket
            {
                private object? _stream;
                public object Open() => {|#0:_stream|} = new object();
                public void Dispose() => {|#1:_stream|} = null;
            }
            sealed class Channel
            {
                private readonly Socket _shared = new();
                public Task Connect() => {|#2:Task.Run(ConnectCore)|};
                private void ConnectCore()
                {
                    Socket? socket = null;
                    socket = _shared;
                    socket.Open();
                }
            }
            """,
            VerifyCS.Diagnostic(Rule).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithArguments("_stream", "'Open', called from method 'ConnectCore' given to Task.Run (started at Test0.cs:11), and 'Dispose' writes it at Test0.cs:6"));
}
