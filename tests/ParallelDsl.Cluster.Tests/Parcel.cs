namespace ParallelDsl.Tests.Fixtures;

/// <summary>
/// The client's parcel: the worker program's (tests/Fixtures/ClusterFixture/Parcel.cs) with one more member, so the
/// same <see cref="ClusterTasks.Weigh"/> has another codec shape in the worker program than here.
/// </summary>
public sealed record Parcel(int Grams, string Label, bool Fragile);
