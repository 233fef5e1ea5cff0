using System.Globalization;
using System.Text.Json;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>How a stored source is shown: its settings and which secrets are set, never their values.</summary>
public static class SourceViews
{
    public static SourceView From(SourceRecord record) => new()
    {
        Id = record.Id,
        Type = record.Type,
        AccountName = record.AccountName,
        Status = record.Status,
        Settings = Json(record.SettingsJson),
        SecretsSet = record.SecretsSet,
        CreatedAt = Rfc3339(record.CreatedAt),
        UpdatedAt = Rfc3339(record.UpdatedAt),
        LastProbe = record.LastProbe is { } last ? From(last) : null,
        HealthHistory = record.History.Select(From).ToList(),
        NextCheckAt = record.NextCheckAt is { } next ? Rfc3339(next) : null,
        CredentialExpiresAt = record.CredentialExpiresAt is { } expires ? Rfc3339(expires) : null,
        Progress = record.Progress is { } progress
            ? new ProbeProgress { FilesDone = progress.FilesDone, FilesTotal = progress.FilesTotal, BytesDownloaded = progress.BytesDownloaded }
            : null,
    };

    public static ProbeResult From(Sources.Silo.Probing.ProbeResult result) => new()
    {
        Outcome = result.Outcome,
        Message = result.Message,
        ServerVersion = result.ServerVersion,
        LatencyMs = result.LatencyMs,
        CheckedAt = Rfc3339(result.CheckedAt),
        Warnings = result.Warnings.Length == 0 ? null : result.Warnings,
        Discovery = result.DiscoveryJson is { } discovery ? Json(discovery) : null,
    };

    public static string Location(long id) => $"/api/v1/sources/{id}/";

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
