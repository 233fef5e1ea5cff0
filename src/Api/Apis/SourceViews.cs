using System.Text.Json;
using Sources.Api.Responses;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>How a stored source is shown: its settings and which secrets are set, never their values.</summary>
public static class SourceViews
{
    public static SourceView From(SourceRecord record)
    {
        var view = new SourceView
        {
            Id = record.Id,
            Type = record.Type,
            AccountName = record.AccountName,
            Status = record.Status,
            SecretsSet = record.SecretsSet,
            CreatedAt = Rfc3339.Format(record.CreatedAt),
            UpdatedAt = Rfc3339.Format(record.UpdatedAt),
            LastProbe = record.LastProbe is { } last ? From(last) : null,
            HealthHistory = record.History.Select(From).ToList(),
            NextCheckAt = record.NextCheckAt is { } next ? Rfc3339.Format(next) : null,
            CredentialExpiresAt = record.CredentialExpiresAt is { } expires ? Rfc3339.Format(expires) : null,
            Progress = record.Progress is { } progress
                ? new ProbeProgress { FilesDone = progress.FilesDone, FilesTotal = progress.FilesTotal, BytesDownloaded = progress.BytesDownloaded }
                : null,
        };
        (view.Settings, view.SettingsRawJson) = Stored(record.SettingsJson);
        return view;
    }

    public static ProbeResult From(Sources.Silo.Probing.ProbeResult result)
    {
        var view = new ProbeResult
        {
            Outcome = result.Outcome,
            Message = result.Message,
            ServerVersion = result.ServerVersion,
            LatencyMs = result.LatencyMs,
            CheckedAt = Rfc3339.Format(result.CheckedAt),
            Warnings = result.Warnings.Length == 0 ? null : result.Warnings,
        };
        if (result.DiscoveryJson is { } discovery)
            (view.Discovery, view.DiscoveryRawJson) = Discovered(discovery);
        return view;
    }

    /// <summary>
    /// A discovery goes out as it is stored when probers wrote it (compact, its <c>kind</c> first);
    /// other text is read with the contract's reader and written in its form, and text that is no
    /// discovery of the contract (one stored before discoveries had kinds) is left out until the
    /// next check replaces it.
    /// </summary>
    public static (IDiscovery? Parsed, string? Verbatim) Discovered(string json)
    {
        if (json.StartsWith(KindFirst, StringComparison.Ordinal) && CompactJson.IsVerbatim(json))
            return (null, json);
        var read = Discovery.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        return (read.Value, null);
    }

    private const string KindFirst = "{\"kind\":";

    public static string Location(long id) => $"/api/v1/sources/{id}/";

    /// <summary>
    /// Stored JSON goes out as it is stored when that gives the same bytes (nearly always); only
    /// other text is parsed, so that the writer puts it in its own form as it always did.
    /// </summary>
    private static (JsonElement Parsed, string? Verbatim) Stored(string json) =>
        CompactJson.IsVerbatim(json) ? (default, json) : (JsonDocument.Parse(json).RootElement.Clone(), null);
}
