using System.Reflection;

namespace ParallelDsl.Generator.Tests;

/// <summary>
/// Snapshot assertions for generated code. The approved text lives in <c>Snapshots/{name}.verified.cs</c> beside the
/// tests (a name may contain folders: <c>Threads/StaticVoid</c>); on a mismatch the actual text is written to <c>{name}.received.cs</c> and the test fails. Set
/// <c>PARALLELDSL_ACCEPT_SNAPSHOTS=1</c> to accept the received text as the new approved one.
/// </summary>
internal static class Snapshot
{
    private const string AcceptVariable = "PARALLELDSL_ACCEPT_SNAPSHOTS";

    private static readonly string Directory = typeof(Snapshot).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "SnapshotDirectory").Value!;

    public static void Match(string actual, string name)
    {
        string verified = Path.Combine(Directory, $"{name}.verified.cs");
        string received = Path.Combine(Directory, $"{name}.received.cs");
        string normalized = actual.Replace("\r\n", "\n");

        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == normalized)
        {
            File.Delete(received);
            return;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, normalized);
        Assert.Fail(File.Exists(verified)
            ? $"Generated code differs from the approved snapshot {verified}. The new text is in {received}; diff them, and set {AcceptVariable}=1 to accept it."
            : $"No approved snapshot {verified} yet. The generated text is in {received}; review it, and set {AcceptVariable}=1 to accept it.");
    }
}
