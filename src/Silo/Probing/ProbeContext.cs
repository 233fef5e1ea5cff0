using Sources.Silo.Scheduling;

namespace Sources.Silo.Probing;

/// <summary>
/// What a probe is told beside the settings: which source it probes (FILE keeps its database in
/// a folder of that source), where to report how far it has come, how long it has (its drivers'
/// own timeouts come from <see cref="Budget"/>, so they end by themselves before the scheduler
/// gives up on them), and where to run work that blocks a thread.
/// </summary>
public sealed record ProbeContext(long SourceId, IProgress<ProbeProgress>? Progress = null)
{
    /// <summary>The account the source belongs to (FILE counts what each account keeps on a node).</summary>
    public string Account { get; init; } = "";

    /// <summary>The time this probe has from its start; its token is cancelled when it runs out.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where blocking calls (DuckDB, XLSX parsing, key decryption) run: the scheduler's small
    /// bounded pool, so they cannot take the threads that asynchronous probes need.
    /// </summary>
    public BlockingWork Blocking { get; init; } = BlockingWork.Unbounded;

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
