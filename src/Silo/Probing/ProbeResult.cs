namespace Sources.Silo.Probing;

/// <summary>
/// What one probe found. The message is safe to show the user: no secret, and nothing about
/// addresses beyond what the user gave. Warnings are things the user asked for that are off
/// (a selected schema that does not exist); they make a working source degraded.
/// Immutable for Orleans (no deep copy within the process): built once, never changed after.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sources.ProbeResult")]
public sealed record ProbeResult
{
    [Id(0)] public string Outcome { get; init; } = ProbeOutcome.Error;
    [Id(1)] public string Message { get; init; } = "";
    [Id(2)] public string? ServerVersion { get; init; }
    [Id(3)] public double LatencyMs { get; init; }
    /// <summary>What is inside (schemas, tables, tools…) as a JSON object.</summary>
    [Id(4)] public string? DiscoveryJson { get; init; }
    [Id(5)] public string[] Warnings { get; init; } = [];
    [Id(6)] public DateTimeOffset CheckedAt { get; init; }
    /// <summary>
    /// The discovery's pages past the first (<see cref="Scheduling.DiscoveryPages"/>), on their way
    /// to the schema pages table: never kept with the source nor answered.
    /// </summary>
    [Id(7)] public string[]? MorePages { get; init; }

    public static ProbeResult Failed(string outcome, string message) => new() { Outcome = outcome, Message = message };

    public static ProbeResult Succeeded(string? serverVersion, string discoveryJson, string[] warnings, string message = "Connected.") => new()
    {
        Outcome = ProbeOutcome.Ok,
        Message = message,
        ServerVersion = serverVersion,
        DiscoveryJson = discoveryJson,
        Warnings = warnings,
    };
}
