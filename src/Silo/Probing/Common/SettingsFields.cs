using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Common;

/// <summary>
/// Reads the fields of a settings object the way probers need them. The contract validator has
/// already checked types and lengths at the API, but a prober's <c>Check</c> is also the guard
/// for settings stored earlier or built in tests, so nothing here assumes a field is well formed.
/// </summary>
public static class SettingsFields
{
    /// <summary>The string at <paramref name="name"/>, or null when absent or not a string.</summary>
    public static string? Text(JsonObject settings, string name) =>
        settings[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The port, or <paramref name="fallback"/> when absent.</summary>
    public static int Port(JsonObject settings, int fallback) =>
        settings["port"] is JsonValue value && value.TryGetValue<int>(out var port) ? port : fallback;

    /// <summary>A problem for each named field that is absent or blank.</summary>
    public static IEnumerable<SettingsProblem> Required(JsonObject settings, params string[] names) =>
        names.Where(name => string.IsNullOrWhiteSpace(Text(settings, name)))
            .Select(name => new SettingsProblem("/" + name, $"'{name}' is required."));

    /// <summary>The problem with a host field that is present but is no host name or IP address.</summary>
    public static SettingsProblem? Host(JsonObject settings, string name) =>
        Text(settings, name) is { } host && !string.IsNullOrWhiteSpace(host) && !IsHost(host)
            ? new SettingsProblem("/" + name, $"'{name}' must be a host name or an IP address, without scheme, port or path.")
            : null;

    /// <summary>The problem with a port that is present but is no whole number in 1..65535.</summary>
    public static SettingsProblem? Port(JsonObject settings) => settings["port"] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var port) && port is >= 1 and <= 65535 => null,
        _ => new SettingsProblem("/port", "'port' must be a whole number from 1 to 65535."),
    };

    public static bool IsHost(string host) =>
        Uri.CheckHostName(host.Trim().TrimStart('[').TrimEnd(']')) is not UriHostNameType.Unknown;
}
