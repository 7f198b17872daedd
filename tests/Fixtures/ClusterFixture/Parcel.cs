namespace ParallelDsl.Tests.Fixtures;

/// <summary>
/// The worker program's parcel. The cluster tests (the client) compile their own, with one more member, in place of
/// this file: a build of different source whose <see cref="ClusterTasks.Weigh"/> encodes its argument differently.
/// </summary>
public sealed record Parcel(int Grams, string Label);
