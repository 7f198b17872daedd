using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using ParallelDsl;

namespace ParallelDsl.Tests.Processes;

/// <summary>
/// Process methods registered by hand, the way the generated dispatch table will register [RunInProcess] methods
/// (until the generator writes codecs, tests and fixtures encode arguments themselves), with typed launchers.
/// Shared by the runtime tests and the ProcessFixture program.
/// </summary>
internal static class HandRegisteredProcessMethods
{
    public const ulong SquareId = 0x7E57_0000_0000_0001;
    public const ulong ThrowId = 0x7E57_0000_0000_0002;
    public const ulong SleepId = 0x7E57_0000_0000_0003;
    public const ulong FailFastId = 0x7E57_0000_0000_0004;
    public const ulong EchoId = 0x7E57_0000_0000_0005;
    public const ulong WhoAmIId = 0x7E57_0000_0000_0006;
    public const ulong ExitId = 0x7E57_0000_0000_0007;
    public const ulong DelayId = 0x7E57_0000_0000_0008;
    public const ulong ReadStdinId = 0x7E57_0000_0000_0009;
    public const ulong NestedWhoAmIId = 0x7E57_0000_0000_000A;

    [ModuleInitializer]
#pragma warning disable CA2255 // Stands in for the generated module initializer that registers the dispatch table.
    internal static void Register()
#pragma warning restore CA2255
    {
        Add(SquareId, "Square(int)", static (arguments, result) => WriteInt32(result, Square(ReadInt32(arguments))));
        Add(ThrowId, "Throw(string)", static (arguments, _) => ThrowFromWorker(Encoding.UTF8.GetString(arguments)));
        Add(SleepId, "Sleep()", static (_, _) => Sleep());
        Add(FailFastId, "FailFast()", static (_, _) => Environment.FailFast("The test method fails fast."));
        Add(EchoId, "Echo(byte[])", static (arguments, result) => result.Write(arguments));
        Add(WhoAmIId, "WhoAmI()", static (_, result) => result.Write(Encoding.UTF8.GetBytes(
            $"{CurrentProcess.Name}|{CurrentProcess.Id}|{CurrentProcess.ParentId}|{CurrentProcess.IsWorker}")));
        Add(ExitId, "Exit(int)", static (arguments, _) => Environment.Exit(ReadInt32(arguments)));
        Add(NestedWhoAmIId, "NestedWhoAmI()", static (_, result) =>
        {
            using ProcessHandle<string> grandchild = StartWhoAmI(new ProcessOptions { Name = "grandchild" });
            result.Write(Encoding.UTF8.GetBytes($"{CurrentProcess.Id}>{grandchild.Join()}"));
        });
        Add(ReadStdinId, "ReadStdin()", static (_, result) => result.Write(Encoding.UTF8.GetBytes(Console.In.ReadToEnd())));
        Add(DelayId, "Delay(int)", static (arguments, result) =>
        {
            int milliseconds = ReadInt32(arguments);
            Thread.Sleep(milliseconds);
            WriteInt32(result, milliseconds);
        });
    }

    public static ProcessHandle<string> StartNestedWhoAmI() =>
        ProcessLauncher.Start(ReadOnlyMemory<byte>.Empty, static result => Encoding.UTF8.GetString(result),
                              new ProcessStartOptions(NestedWhoAmIId, "NestedWhoAmI", null, false), null);

    public static ProcessHandle<string> StartReadStdin() =>
        ProcessLauncher.Start(ReadOnlyMemory<byte>.Empty, static result => Encoding.UTF8.GetString(result),
                              new ProcessStartOptions(ReadStdinId, "ReadStdin", null, false), null);

    public static ProcessHandle<int> StartDelay(int milliseconds) =>
        ProcessLauncher.Start(Int32Bytes(milliseconds), ReadInt32, new ProcessStartOptions(DelayId, "Delay", null, false), null);

    public static ProcessHandle<int> StartSquare(int n, ProcessOptions? options = null) =>
        ProcessLauncher.Start(Int32Bytes(n), ReadInt32, new ProcessStartOptions(SquareId, "Square", null, false), options);

    public static ProcessHandle StartThrow(string message) =>
        ProcessLauncher.Start(Encoding.UTF8.GetBytes(message), new ProcessStartOptions(ThrowId, "Throw", null, false), null);

    public static ProcessHandle StartSleep(ProcessOptions? options = null) =>
        ProcessLauncher.Start(ReadOnlyMemory<byte>.Empty, new ProcessStartOptions(SleepId, "Sleep", null, false), options);

    public static ProcessHandle StartFailFast() =>
        ProcessLauncher.Start(ReadOnlyMemory<byte>.Empty, new ProcessStartOptions(FailFastId, "FailFast", null, false), null);

    public static ProcessHandle<byte[]> StartEcho(byte[] data) =>
        ProcessLauncher.Start(data, static result => result.ToArray(), new ProcessStartOptions(EchoId, "Echo", null, false), null);

    public static ProcessHandle<string> StartWhoAmI(ProcessOptions? options = null) =>
        ProcessLauncher.Start(ReadOnlyMemory<byte>.Empty, static result => Encoding.UTF8.GetString(result),
                              new ProcessStartOptions(WhoAmIId, "WhoAmI", null, false), options);

    public static ProcessHandle StartExit(int exitCode) =>
        ProcessLauncher.Start(Int32Bytes(exitCode), new ProcessStartOptions(ExitId, "Exit", null, false), null);

    private static int Square(int n) => n * n;

    /// <summary>Announces on stdout that the worker is running its task, then sleeps for ever.</summary>
    private static void Sleep()
    {
        Console.WriteLine($"sleeping {Environment.ProcessId}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromWorker(string message) => throw new InvalidOperationException(message);

    private static void Add(ulong id, string name, ProcessInvoker invoke) =>
        ProcessDispatch.Register(new ProcessMethod(id, name, typeof(HandRegisteredProcessMethods).Assembly, invoke));

    private static byte[] Int32Bytes(int value)
    {
        byte[] bytes = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static int ReadInt32(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadInt32LittleEndian(bytes);

    private static void WriteInt32(IBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(sizeof(int)), value);
        writer.Advance(sizeof(int));
    }
}
