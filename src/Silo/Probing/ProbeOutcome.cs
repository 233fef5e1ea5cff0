namespace Sources.Silo.Probing;

/// <summary>The fixed set of things a probe can find, as the API names them.</summary>
public static class ProbeOutcome
{
    public const string Ok = "ok";
    public const string Unreachable = "unreachable";
    public const string Timeout = "timeout";
    public const string TlsError = "tls_error";
    public const string AuthFailed = "auth_failed";
    public const string PermissionDenied = "permission_denied";
    public const string NotFound = "not_found";
    public const string InvalidConfig = "invalid_config";
    public const string AwaitingKeyRegistration = "awaiting_key_registration";
    public const string Unsupported = "unsupported";
    public const string Error = "error";

    public static readonly IReadOnlyList<string> All =
        [Ok, Unreachable, Timeout, TlsError, AuthFailed, PermissionDenied, NotFound, InvalidConfig, AwaitingKeyRegistration, Unsupported, Error];
}
