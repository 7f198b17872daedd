using System.Text;

namespace ParallelDsl.Benchmarks.Analyzers;

/// <summary>
/// Writes a synthetic C# project of a given size that uses ParallelDsl the way programs do: most of the code is
/// ordinary (records, loops, LINQ, string handling); one unit in <see cref="ParallelEvery"/> has [RunInThread]
/// methods with locks and loops, helpers they call, [RunInProcess] methods, and lambdas given to Task.Run — one in
/// ten of those with an unguarded write, so the run shows the analyzers at work.
/// </summary>
internal static class SyntheticProject
{
    private const int UnitsPerFile = 18;

    /// <summary>One unit in this many uses threads and processes; the others are ordinary code.</summary>
    public const int ParallelEvery = 4;

    /// <summary>The files of a project of about <paramref name="lines"/> lines.</summary>
    public static IReadOnlyList<string> Create(int lines)
    {
        var files = new List<string>();
        int unit = 0;
        int written = 0;
        while (written < lines)
        {
            var file = new StringBuilder();
            file.AppendLine("using System;");
            file.AppendLine("using System.Threading;");
            file.AppendLine("using System.Threading.Tasks;");
            file.AppendLine("using ParallelDsl;");
            file.AppendLine();
            file.AppendLine($"namespace Synthetic.Area{files.Count % 20};");
            file.AppendLine();
            file.AppendLine($"public partial class Worker{files.Count}");
            file.AppendLine("{");
            for (int i = 0; i < UnitsPerFile; i++, unit++)
            {
                if (unit % ParallelEvery == 0)
                {
                    AppendParallelUnit(file, unit);
                }
                else
                {
                    AppendOrdinaryUnit(file, unit);
                }
            }

            file.AppendLine("}");
            string text = file.ToString();
            written += text.Split('\n').Length;
            files.Add(text);
        }

        return files;
    }

    private static void AppendOrdinaryUnit(StringBuilder file, int i) => file.Append($$"""
            private readonly System.Collections.Generic.List<string> _names{{i}} = new();
            private int _total{{i}};

            public int Score{{i}}(string[] words)
            {
                int score = 0;
                foreach (string word in words)
                {
                    if (word.Length > {{i % 5 + 2}})
                    {
                        score += word.Length * {{i % 3 + 1}};
                        _names{{i}}.Add(word.ToUpperInvariant());
                    }
                }

                _total{{i}} += score;
                return score;
            }

            public string Describe{{i}}(int count)
            {
                var text = new System.Text.StringBuilder();
                for (int j = 0; j < count; j++)
                {
                    text.Append(j).Append(", ");
                }

                return $"{count}: {text}";
            }

            public int[] Top{{i}}(int[] values) =>
                System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Take(System.Linq.Enumerable.OrderByDescending(values, v => v % {{i % 9 + 2}}), 3));

        """);

    private static void AppendParallelUnit(StringBuilder file, int i) => file.Append($$"""
            private static int s_count{{i}};
            private static readonly object Gate{{i}} = new();
            private int _value{{i}};

            [RunInThread]
            private static void Work{{i}}(int times)
            {
                for (int j = 0; j < times; j++)
                {
                    lock (Gate{{i}})
                    {
                        s_count{{i}}++;
                    }
                }

                Console.WriteLine(Helper{{i}}(times));
            }

            private static int Helper{{i}}(int n)
            {
                int total = 0;
                for (int k = 0; k < n; k++)
                {
                    total += k * {{i % 7 + 1}};
                }

                return total + Compute{{i}}(n);
            }

            [RunInProcess]
            private static int Compute{{i}}(int n) => n * n + {{i}};

            public Task Launch{{i}}() => Task.Run(() => { {{(i % (10 * ParallelEvery) == 0 ? $"_value{i} = Helper{i}(3);" : $"Interlocked.Exchange(ref _value{i}, Helper{i}(3));")}} });

        """);
}
