using ParallelDsl.Samples.Tour;

namespace ParallelDsl.Samples.Tests;

/// <summary>The tour (the README's main command) runs every sample under a heading and reports failures by its exit code.</summary>
public sealed class TourTests
{
    [Fact]
    public void Runs_every_sample_under_its_heading_and_succeeds()
    {
        SampleRun tour = SampleRunner.RunProgram("Tour", typeof(SampleCatalog).Assembly.Location, [], SampleTimeouts.Tour);

        Assert.True(tour.Succeeded, $"the tour failed ({tour.ExitCode}):\n{tour.StandardError}");
        Assert.NotEmpty(SampleCatalog.All);
        foreach (SampleInfo sample in SampleCatalog.All)
        {
            Assert.Contains($"==== {sample.Name}: {sample.Title} ====", tour.Lines);
        }

        Assert.Contains($"tour done: {SampleCatalog.All.Count} of {SampleCatalog.All.Count} samples ran successfully", tour.Lines);
    }

    [Fact]
    public void Fails_with_a_clear_message_for_an_unknown_sample()
    {
        SampleRun tour = SampleRunner.RunProgram("Tour", typeof(SampleCatalog).Assembly.Location, ["NoSuchSample"], SampleTimeouts.PerSample);

        Assert.NotEqual(0, tour.ExitCode);
        Assert.Contains("There is no sample 'NoSuchSample'", tour.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_sample_in_the_catalog_is_built()
    {
        Assert.All(SampleCatalog.All, sample => Assert.True(File.Exists(sample.ProgramPath), $"{sample.ProgramPath} is missing"));
    }

    [Fact]
    public void A_sample_that_runs_past_its_timeout_is_killed_and_reported()
    {
        // The Threads sample cannot end in a millisecond, so the runner must stop it and say so.
        SampleRun run = SampleRunner.Run("Threads", TimeSpan.FromMilliseconds(1));

        Assert.True(run.TimedOut);
        Assert.Equal(-1, run.ExitCode);
        Assert.False(run.Succeeded);
    }
}
