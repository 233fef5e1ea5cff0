using System.Diagnostics;
using System.Text;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>Everything a child process writes to stdout and stderr, kept across its restarts.</summary>
public sealed class OutputCapture
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public string Text
    {
        get
        {
            lock (_gate) return _text.ToString();
        }
    }

    /// <summary>Starts reading a process's output into this capture.</summary>
    public void Attach(Process process, string label)
    {
        Append($"===== {label} (pid {process.Id}) =====");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _text.AppendLine(line);
    }
}
