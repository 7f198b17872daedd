using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelDsl.Generator.Cluster;

/// <summary>
/// Makes a program that references ParallelDsl.Cluster startable as a cluster worker: the main guard learns the
/// worker switch from a module initializer written into the program, so the runtime needs no reference to the
/// cluster assembly and no reflection. A program without the reference gets nothing. This class only wires the
/// pipeline; <see cref="ClusterWorkerEmitter"/> writes the file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ClusterWorkerGenerator : IIncrementalGenerator
{
    /// <summary>The step that reduces the compilation to whether it references the cluster assembly.</summary>
    public const string ReferencesClusterStep = "ReferencesCluster";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<bool> referencesCluster = context.CompilationProvider
            .Select(static (compilation, _) => compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication
                && compilation.ReferencedAssemblyNames.Any(static name => name.Name == ClusterWorkerEmitter.ClusterAssembly))
            .WithTrackingName(ReferencesClusterStep);

        context.RegisterSourceOutput(referencesCluster, static (output, references) =>
        {
            if (references)
            {
                output.AddSource(ClusterWorkerEmitter.HintName, ClusterWorkerEmitter.Emit());
            }
        });
    }
}
