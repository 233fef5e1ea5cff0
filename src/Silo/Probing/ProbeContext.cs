namespace Sources.Silo.Probing;

/// <summary>
/// What a probe is told beside the settings: which source it probes (FILE keeps its database in
/// a folder of that source) and where to report how far it has come, if anyone listens.
/// </summary>
public sealed record ProbeContext(long SourceId, IProgress<ProbeProgress>? Progress = null)
{
    public void Report(ProbeProgress progress) => Progress?.Report(progress);
}

/// <summary>
/// How far a running probe has come: FILE downloads so far. Shown while the probe runs, never stored.
/// Immutable for Orleans (no deep copy within the process): a positional record, never changed.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sources.ProbeProgress")]
public sealed record ProbeProgress(
    [property: Id(0)] int FilesDone,
    [property: Id(1)] int FilesTotal,
    [property: Id(2)] long BytesDownloaded);
