using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ParallelDsl.Samples.Tour;

/// <summary>A sample program of the tour.</summary>
/// <param name="Name">The sample's name: its project and program name, such as <c>Threads</c>.</param>
/// <param name="Title">What the sample shows, for its heading.</param>
/// <param name="ProgramPath">The built program (<c>{Name}.dll</c>), run with <c>dotnet</c>.</param>
internal sealed record SampleInfo(string Name, string Title, string ProgramPath);

/// <summary>
/// The samples the tour runs, in order. The list lives in <c>Tour.csproj</c> (<c>TourSample</c> items); the build
/// writes the other half of this class with where each sample's program was built.
/// </summary>
internal static partial class SampleCatalog
{
    /// <summary>Every sample, in tour order.</summary>
    public static IReadOnlyList<SampleInfo> All => Built;

    /// <summary>The sample called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No sample has that name.</exception>
    public static SampleInfo Find(string name) =>
        Built.FirstOrDefault(sample => string.Equals(sample.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"There is no sample '{name}'. The samples are: {string.Join(", ", Built.Select(sample => sample.Name))}.", nameof(name));

    /// <summary>Fails with a clear message when the sample's program has not been built.</summary>
    /// <exception cref="FileNotFoundException">The program is missing.</exception>
    public static void EnsureBuilt(SampleInfo sample)
    {
        if (!File.Exists(sample.ProgramPath))
        {
            throw new FileNotFoundException(
                $"Sample '{sample.Name}' is not built: {sample.ProgramPath} is missing. Build the tour (dotnet build samples/Tour) to build every sample.",
                sample.ProgramPath);
        }
    }
}
