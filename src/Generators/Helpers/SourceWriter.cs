using System.Text;

namespace Sources.Generators.Helpers;

/// <summary>Writes C# with indentation kept in one place instead of in every string.</summary>
public sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _indent * 4);
        _text.AppendLine(line);
        return this;
    }

    /// <summary>Writes the line, then an opening brace, and indents what follows.</summary>
    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
