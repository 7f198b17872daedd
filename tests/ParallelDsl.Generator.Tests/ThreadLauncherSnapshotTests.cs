namespace ParallelDsl.Generator.Tests;

/// <summary>
/// What the generator writes for <c>[RunInThread]</c> methods, one approved snapshot per shape of method or type.
/// Every case also compiles the generated code with the user's code and requires zero errors and zero warnings.
/// </summary>
public sealed class ThreadLauncherSnapshotTests
{
    [Fact]
    public void Static_void_method()
    {
        Verify("Threads/StaticVoid", "Demo.Jobs.g.cs", """
            using ParallelDsl;

            namespace Demo;

            internal static partial class Jobs
            {
                [RunInThread]
                private static void Work()
                {
                }
            }
            """);
    }

    [Fact]
    public void Static_method_with_a_result()
    {
        Verify("Threads/StaticWithResult", "Demo.Files.g.cs", """
            using System.Collections.Generic;
            using ParallelDsl;

            namespace Demo;

            public static partial class Files
            {
                [RunInThread]
                public static int CountLines(string path) => path.Length;

                [RunInThread]
                internal static List<string?>? Split(string text) => new List<string?>(text.Split(','));
            }
            """);
    }

    [Fact]
    public void Instance_method()
    {
        Verify("Threads/Instance", "Demo.Downloader.g.cs", """
            using System;
            using ParallelDsl;

            namespace Demo;

            public partial class Downloader
            {
                private readonly string _agent = "demo";

                [RunInThread]
                public string Fetch(Uri url) => _agent + url;

                [RunInThread]
                protected internal void Log(string line) => Console.WriteLine(_agent + line);
            }
            """);
    }

    [Fact]
    public void Async_methods_of_every_task_shape()
    {
        Verify("Threads/Async", "Demo.Poller.g.cs", """
            using System.Threading.Tasks;
            using ParallelDsl;

            namespace Demo;

            public partial class Poller
            {
                [RunInThread]
                public static async Task Ping() => await Task.Yield();

                [RunInThread]
                public static async Task<int> Count() { await Task.Yield(); return 3; }

                [RunInThread]
                public async ValueTask Flush() => await Task.Yield();

                [RunInThread]
                public async ValueTask<string> Read() { await Task.Yield(); return "line"; }
            }
            """);
    }

    [Fact]
    public void Nested_types_of_every_kind()
    {
        Verify("Threads/Nested", "Demo.Outer.Middle.Inner.Leaf.g.cs", """
            using ParallelDsl;

            namespace Demo;

            public partial class Outer
            {
                internal readonly partial struct Middle
                {
                    private partial record Inner
                    {
                        public partial record struct Leaf
                        {
                            [RunInThread]
                            public static void Work(int id)
                            {
                            }
                        }
                    }
                }
            }
            """);
    }

    [Fact]
    public void Type_in_the_global_namespace()
    {
        Verify("Threads/NoNamespace", "Program.g.cs", """
            using ParallelDsl;

            partial class Program
            {
                [RunInThread]
                static void Download(string url)
                {
                }
            }
            """);
    }

    [Fact]
    public void Generic_containing_types()
    {
        Verify("Threads/GenericType", "Demo.Cache{TKey,TValue}.Loader{TSource}.g.cs", """
            using System.Collections.Generic;
            using ParallelDsl;

            namespace Demo;

            public partial class Cache<TKey, TValue>
                where TKey : notnull
            {
                public partial class Loader<TSource>
                    where TSource : IEnumerable<TValue>
                {
                    [RunInThread]
                    public TValue? First(TSource source, TKey key)
                    {
                        foreach (TValue value in source)
                        {
                            return value;
                        }

                        return default;
                    }
                }
            }
            """);
    }

    [Fact]
    public void Every_attribute_option()
    {
        Verify("Threads/Options", "Demo.Crawler.g.cs", """
            using ParallelDsl;

            namespace Demo;

            public static partial class Crawler
            {
                [RunInThread(Name = "crawler \"main\"", Daemon = true, MaxConcurrency = 4)]
                public static void Crawl(string site)
                {
                }

                [RunInThread(Daemon = true)]
                public static void Heartbeat()
                {
                }

                [RunInThread(MaxConcurrency = 1)]
                public static int Exclusive() => 1;

                [RunInThread(Name = "named")]
                public static void Named()
                {
                }
            }
            """);
    }

    [Fact]
    public void Parameters_with_default_values_and_keyword_names()
    {
        Verify("Threads/Parameters", "Demo.Copier.g.cs", """
            using System;
            using ParallelDsl;

            namespace Demo;

            public static partial class Copier
            {
                [RunInThread]
                public static void Copy(
                    string @from,
                    string @class,
                    int @event = 3,
                    string? label = null,
                    string greeting = "say \"hi\"\n",
                    double ratio = 0.5,
                    double limit = double.PositiveInfinity,
                    float missing = float.NaN,
                    byte level = 7,
                    float scale = -1.25f,
                    decimal price = 19.99m,
                    long smallest = long.MinValue,
                    DayOfWeek day = DayOfWeek.Friday,
                    AttributeTargets targets = AttributeTargets.Class | AttributeTargets.Method,
                    bool force = true,
                    char separator = '\'',
                    int? retries = 2,
                    DayOfWeek? restDay = DayOfWeek.Sunday,
                    DateTime when = default,
                    params int[] rest)
                {
                }
            }
            """);
    }

    [Fact]
    public void A_parameter_named_like_its_method_does_not_hide_the_method()
    {
        Verify("Threads/ParameterHidesMethod", "Demo.Outer{T}.Logger.g.cs", """
            using ParallelDsl;

            namespace Demo;

            public partial class Outer<T>
            {
                public static partial class Logger
                {
                    [RunInThread]
                    public static void Log(string Log, T item)
                    {
                    }
                }
            }
            """);
    }

    [Fact]
    public void Overloads_and_methods_from_several_files_of_one_type_go_to_one_file()
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean(
            """
            using ParallelDsl;

            namespace Demo;

            public static partial class Worker
            {
                [RunInThread(MaxConcurrency = 2)]
                public static void Run(int id)
                {
                }
            }
            """,
            """
            using ParallelDsl;

            namespace Demo;

            public static partial class Worker
            {
                [RunInThread(MaxConcurrency = 3)]
                public static void Run(string name)
                {
                }
            }
            """);

        Snapshot.Match(Assert.Single(generated, pair => pair.Key == "Demo.Worker.g.cs").Value, "Threads/Overloads");
        Assert.Single(generated);
    }

    private static void Verify(string snapshot, string hintName, string source)
    {
        IReadOnlyDictionary<string, string> generated = GeneratorHarness.RunClean(source);
        KeyValuePair<string, string> file = Assert.Single(generated);
        Assert.Equal(hintName, file.Key);
        Snapshot.Match(file.Value, snapshot);
    }
}
