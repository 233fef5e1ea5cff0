using System.Text.Json.Nodes;

namespace Sources.Silo.Probing;

/// <summary>
/// Reaches one type of source with its real driver. Implementations classify failures into
/// <see cref="ProbeOutcome"/> from driver error codes, not message text, and go through the
/// network policy for every host they contact.
/// </summary>
public interface IProber
{
    /// <summary>The source type this prober serves, e.g. POSTGRES.</summary>
    string Type { get; }

    /// <summary>
    /// Problems the settings show without contacting anything (a connection-string keyword that
    /// is not allowed, say), each with the JSON Pointer of its field. Run at create time, so a
    /// request that shows its own problem gets a 400 rather than a failing probe later.
    /// </summary>
    IReadOnlyList<SettingsProblem> Check(JsonObject settings);

    /// <summary>
    /// What a create, a test of settings and an update-config run: <see cref="Check"/>, plus any
    /// expensive part of the check (decrypting a key), which a prober runs on <paramref name="blocking"/>,
    /// within <paramref name="cancellation"/>, and <see cref="Check"/> leaves out.
    /// </summary>
    Task<IReadOnlyList<SettingsProblem>> CheckAsync(JsonObject settings, Scheduling.BlockingWork blocking, CancellationToken cancellation) =>
        Task.FromResult(Check(settings));

    /// <summary>
    /// Connects, reads the server version and discovers what is inside. The context names the
    /// source and takes progress reports; most probers need neither.
    /// </summary>
    Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation);

    /// <summary>
    /// The hard deadline of one probe of these settings: the configured one, unless the type's
    /// work grows with what the user asked for (FILE downloads and imports grow with file size).
    /// </summary>
    TimeSpan DeadlineFor(JsonObject settings, TimeSpan configured) => configured;

    /// <summary>The longest <see cref="DeadlineFor"/> answers for any settings (the health sweep leases a claim for that long).</summary>
    TimeSpan LongestDeadline(TimeSpan configured) => configured;
}

public sealed record SettingsProblem(string Pointer, string Message);
