namespace Sources.Silo.Probing.Files;

/// <summary>A failure of one file of a FILE source, its message naming the file.</summary>
public static class FileFailure
{
    public static ProbeResult Named(ProbeResult failure, string filename) =>
        failure with { Message = $"The file '{filename}' could not be imported: {failure.Message}" };

    public static ProbeResult Named(string outcome, string message, string filename) =>
        Named(ProbeResult.Failed(outcome, message), filename);
}
