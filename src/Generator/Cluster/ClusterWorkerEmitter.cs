namespace ParallelDsl.Generator.Cluster;

/// <summary>Writes the module initializer that registers the cluster worker with the main guard.</summary>
internal static class ClusterWorkerEmitter
{
    /// <summary>The assembly whose reference asks for the registration.</summary>
    public const string ClusterAssembly = "ParallelDsl.Cluster";

    public const string HintName = "ParallelDsl.ClusterWorkerRegistration.g.cs";

    private const string ClusterWorker = "global::ParallelDsl.Cluster.Worker.ClusterWorker";

    public static string Emit()
    {
        var writer = new SourceWriter();
        GeneratedFile.WriteHeader(writer);
        writer.WriteLine($$"""
            namespace ParallelDsl.Generated
            {
                /// <summary>Lets <c>MainGuard.Enter</c> start this program as a cluster worker (<c>--paralleldsl-worker amqp://…</c>).</summary>
                {{GeneratedFile.GeneratedCode}}
                internal static class ClusterWorkerRegistration
                {
                    [global::System.Runtime.CompilerServices.ModuleInitializer]
                    internal static void Register() => {{ClusterWorker}}.Register();
                }
            }
            """);
        return writer.ToString();
    }
}
