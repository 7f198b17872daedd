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

    /// <summary>
    /// Writes the <see cref="GeneratedFile"/> header, then opens <paramref name="type"/>'s namespace and its chain
    /// of partial type declarations; disposing the result closes them all.
    /// </summary>
    public IDisposable OpenGeneratedType(TypeIdentityModel type) => OpenGeneratedType(type, static (_, _) => { });

    /// <summary>
    /// Like <see cref="OpenGeneratedType(TypeIdentityModel)"/>, and calls <paramref name="inType"/> with the index of
    /// each type of the chain as soon as its declaration is open, to write members at that level.
    /// </summary>
    public IDisposable OpenGeneratedType(TypeIdentityModel type, System.Action<SourceWriter, int> inType)
    {
        GeneratedFile.WriteHeader(this);
        var blocks = new System.Collections.Generic.List<Block>();
        if (type.Namespace is not null)
        {
            blocks.Add(OpenBlock($"namespace {type.Namespace}"));
        }

        for (int i = 0; i < type.Types.Count; i++)
        {
            ContainingTypeModel containing = type.Types[i];
            blocks.Add(OpenBlock($"partial {containing.Keyword} {containing.Name}"));
            inType(this, i);
        }

        return new Blocks(blocks);
    }

    public override string ToString() => _text.ToString();

    private void CloseBlock(string closing)
    {
        _indent--;
        WriteLine(closing);
    }

    private sealed class Blocks : IDisposable
    {
        private readonly System.Collections.Generic.List<Block> _blocks;

        public Blocks(System.Collections.Generic.List<Block> blocks)
        {
            _blocks = blocks;
        }

        public void Dispose()
        {
            for (int i = _blocks.Count - 1; i >= 0; i--)
            {
                _blocks[i].Dispose();
            }
        }
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
