namespace ParallelDsl.Generator.Tests;

/// <summary>Instance [RunInProcess] methods: launchers on the instance, which the child gets a copy of.</summary>
public sealed class InstanceProcessMethodGeneratorTests
{
    [Fact]
    public void An_instance_method_of_a_wholly_copied_type_gets_instance_launchers_that_encode_this_first()
    {
        IReadOnlyDictionary<string, string> files = GeneratorHarness.RunClean("""
            using ParallelDsl;

            namespace Demo;

            public sealed partial record Greeter(string Greeting)
            {
                [RunInProcess]
                public string Greet(string name) => $"{Greeting}, {name}";
            }

            public static class Use
            {
                public static ProcessHandle<string> Run(Greeter greeter) => greeter.StartGreet("world");
            }
            """);

        string launchers = files["Demo.Greeter.Process.g.cs"];
        Assert.Contains("public global::ParallelDsl.ProcessHandle<string> StartGreet(string name)", launchers);
        Assert.Contains("GreetProcess.EncodeArguments(this, name)", launchers);
        Assert.Contains("global::ParallelDsl.Generated.ProcessCodecs.Read(ref reader, out global::Demo.Greeter self);", launchers);
        Assert.Contains("self.Greet(arg0)", launchers);
        Assert.DoesNotContain("ProcessFunction", launchers);
    }

    [Fact]
    public void An_instance_method_of_a_type_with_private_state_gets_no_launcher()
    {
        (Microsoft.CodeAnalysis.GeneratorDriverRunResult result, _) = GeneratorHarness.Run("""
            using ParallelDsl;

            namespace Demo;

            public partial class Scaler
            {
                private int _factor = 2;

                [RunInProcess]
                public int Scale(int n) => n * _factor;
            }
            """);

        Assert.DoesNotContain(result.Results.Single().GeneratedSources, source => source.HintName == "Demo.Scaler.Process.g.cs");
    }
}
