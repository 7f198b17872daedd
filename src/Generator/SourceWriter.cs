using System;
using System.Text;

namespace ParallelDsl.Generator;

/// <summary>
/// Writes C# source with managed indentation: callers open and close blocks, never build indent strings.
/// Multi-line text (raw string literals) is re-indented line by line.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indent;

    public void WriteLine()
    {
        _text.Append('\n');
    }

    public void WriteLine(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Length > 0)
            {
                for (int i = 0; i < _indent; i++)
                {
                    _text.Append(IndentUnit);
                }

                _text.Append(line);
            }

            _text.Append('\n');
        }
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes the block.</summary>
    public Block OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indent++;
        return new Block(this);
    }

    public override string ToString() => _text.ToString();

    private void CloseBlock(string closing)
    {
        _indent--;
        WriteLine(closing);
    }

    internal readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;

        public Block(SourceWriter writer)
        {
            _writer = writer;
        }

        public void Dispose() => _writer.CloseBlock("}");
    }
}
