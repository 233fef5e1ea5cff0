using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// A source as the grain keeps it. Settings are the shape's non-secret fields as canonical
/// JSON; secrets arrive already sealed at the edge, so plain credentials never cross the
/// silo-to-silo wire or sit in grain state (see docs/secrets.md).
/// Immutable for Orleans, so a call within the process hands it over without a deep copy: it is
/// only ever changed by <c>with</c> into a new record, and nothing writes into its arrays.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sources.SourceRecord")]
public sealed record SourceRecord
{
    [Id(0)] public long Id { get; init; }
    [Id(1)] public string Account { get; init; } = "";
    [Id(2)] public string Type { get; init; } = "";
    [Id(3)] public string AccountName { get; init; } = "";
    [Id(4)] public string SettingsJson { get; init; } = "{}";
    [Id(5)] public byte[] SealedSecrets { get; init; } = [];
    [Id(6)] public string[] SecretsSet { get; init; } = [];
    [Id(7)] public string Status { get; init; } = SourceStatus.Pending;
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Bumped on every change, so a read-modify-write can detect a concurrent change.</summary>
    [Id(10)] public int Version { get; init; }
    [Id(11)] public ProbeResult? LastProbe { get; init; }
    /// <summary>The latest results, newest first.</summary>
    [Id(12)] public ProbeResult[] History { get; init; } = [];
    [Id(13)] public DateTimeOffset? NextCheckAt { get; init; }
    /// <summary>Authentication failures in a row; each doubles the wait before the next check.</summary>
    [Id(14)] public int AuthFailures { get; init; }
    /// <summary>When a credential stops working by itself (the exp of a JWT), if one says so.</summary>
    [Id(15)] public DateTimeOffset? CredentialExpiresAt { get; init; }
    /// <summary>How far the probe running now has come. Never stored: the grain sets it on the views it hands out.</summary>
    [Id(16)] public ProbeProgress? Progress { get; init; }
    /// <summary>
    /// Its last check stopped the node that ran it (<see cref="HeldBackCheck"/>): the sweep
    /// leaves it alone until its owner changes it or asks for a test.
    /// </summary>
    [Id(20)] public bool HeldBack { get; init; }
}

/// <summary>What the edge hands the grain to create or reconfigure a source (built once, never changed: no deep copy).</summary>
[GenerateSerializer, Immutable, Alias("Sources.SourceConfig")]
public sealed record SourceConfig(
    [property: Id(0)] string Type,
    [property: Id(1)] string AccountName,
    [property: Id(2)] string SettingsJson,
    [property: Id(3)] byte[] SealedSecrets,
    [property: Id(4)] string[] SecretsSet);

public static class SourceStatus
{
    public const string Pending = "pending";
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Failing = "failing";
    public const string AwaitingKeyRegistration = "awaiting_key_registration";
}

/// <summary>Why a change was refused.</summary>
public enum ChangeOutcome { Done, NotFound, Conflict, AlreadyExists }

[GenerateSerializer, Immutable, Alias("Sources.ChangeResult")]
public sealed record ChangeResult([property: Id(0)] ChangeOutcome Outcome, [property: Id(1)] SourceRecord? Source);
