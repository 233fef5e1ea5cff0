namespace Sources.Api.Auth;

/// <summary>
/// Configuration "Sources:Limits": how often each key and each account may ask for the costly
/// operations, and how many sources an account may hold. The defaults are for a shared service:
/// well above what a person or a deploy script does, well below what guessing passwords needs.
/// A count of 0 or less turns that limit off. See docs/limits.md.
/// </summary>
public sealed class LimitSettings
{
    public const string Section = "Sources:Limits";

    /// <summary>The period each request limit counts in (its permits come back evenly over it).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>POST /api/v1/sources/ (each create probes at once).</summary>
    public OperationLimit Create { get; set; } = new() { PerAccount = 60, PerKey = 30 };

    /// <summary>PATCH /api/v1/sources/{id}/update-config/ (each one probes at once).</summary>
    public OperationLimit UpdateConfig { get; set; } = new() { PerAccount = 60, PerKey = 30 };

    /// <summary>POST /api/v1/sources/{id}/test/ (a probe now).</summary>
    public OperationLimit Test { get; set; } = new() { PerAccount = 30, PerKey = 20 };

    /// <summary>POST /api/v1/sources/snowflake/key-pairs/ (an RSA-2048 generation and a stored row).</summary>
    public OperationLimit KeyPairs { get; set; } = new() { PerAccount = 20, PerKey = 10 };

    /// <summary>How many sources one account may hold at once.</summary>
    public int SourcesPerAccount { get; set; } = 1000;
}

/// <summary>Requests per <see cref="LimitSettings.Window"/>, for one account and for one key.</summary>
public sealed class OperationLimit
{
    public int PerAccount { get; set; }
    public int PerKey { get; set; }
}

/// <summary>The operations that are rate limited, each with its own budget.</summary>
public enum LimitedOperation
{
    Create,
    UpdateConfig,
    Test,
    KeyPairs,
}
