using System.Threading.RateLimiting;

namespace Sources.Api.Auth;

/// <summary>
/// The request limits of this node: for each limited operation, a token bucket per key and one
/// per account (System.Threading.RateLimiting, the limiters ASP.NET Core's rate limiting is built
/// on). They run as an endpoint filter, after <see cref="ApiKeyAuthentication"/> has signed the
/// caller in, not as the rate limiting middleware, because they are keyed by the verified key and
/// account, which only exist once the key has verified: a partition taken from the unverified header would let anyone who knows a
/// key id (keys list shows them) spend that key's budget. Buckets of idle keys and accounts are
/// dropped by the limiters themselves, so only keys that verified take memory, and only while busy.
/// </summary>
public sealed class RequestLimits : IAsyncDisposable
{
    private readonly LimitSettings _settings;
    private readonly Dictionary<LimitedOperation, (OperationLimit Limit, PartitionedRateLimiter<string>? Keys, PartitionedRateLimiter<string>? Accounts)> _limiters;

    public RequestLimits(LimitSettings settings)
    {
        _settings = settings;
        _limiters = new()
        {
            [LimitedOperation.Create] = Build(settings.Create),
            [LimitedOperation.UpdateConfig] = Build(settings.UpdateConfig),
            [LimitedOperation.Test] = Build(settings.Test),
            [LimitedOperation.KeyPairs] = Build(settings.KeyPairs),
        };
    }

    /// <summary>Null when the request may go on; else the 429 to answer.</summary>
    public IResult? Refusal(LimitedOperation operation, HttpContext http)
    {
        var (limit, keys, accounts) = _limiters[operation];
        // The key first: a key over its own share does not spend the account's.
        if (keys is not null && Refused(keys, Caller.KeyIdOf(http)) is { } keyWait)
            return Problems.Problems.TooManyRequests($"This key may make {limit.PerKey} {Describe(operation)} per {Format(_settings.Window)}.", keyWait);
        if (accounts is not null && Refused(accounts, Caller.AccountOf(http)) is { } accountWait)
            return Problems.Problems.TooManyRequests($"This account may make {limit.PerAccount} {Describe(operation)} per {Format(_settings.Window)}, over all its keys.", accountWait);
        return null;
    }

    /// <summary>Null when a permit was taken; else whole seconds until one is back (at least 1).</summary>
    private static int? Refused(PartitionedRateLimiter<string> limiter, string partition)
    {
        using var lease = limiter.AttemptAcquire(partition);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
    }

    private (OperationLimit, PartitionedRateLimiter<string>?, PartitionedRateLimiter<string>?) Build(OperationLimit limit) =>
        (limit, Bucket(limit.PerKey), Bucket(limit.PerAccount));

    /// <summary>
    /// A full bucket of <paramref name="permits"/> that refills one permit every window / permits:
    /// a burst of the whole budget, then the steady rate, and a Retry-After of one refill.
    /// </summary>
    private PartitionedRateLimiter<string>? Bucket(int permits)
    {
        if (permits <= 0) return null;
        var refill = _settings.Window / permits;
        return PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill > TimeSpan.Zero ? refill : TimeSpan.FromMilliseconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    private static string Describe(LimitedOperation operation) => operation switch
    {
        LimitedOperation.Create => "creates",
        LimitedOperation.UpdateConfig => "update-config requests",
        LimitedOperation.Test => "tests",
        LimitedOperation.KeyPairs => "key-pair requests",
        _ => "requests",
    };

    private static string Format(TimeSpan window) =>
        window.TotalSeconds % 3600 == 0 ? FormattableString.Invariant($"{window.TotalHours:0} h")
        : window.TotalSeconds % 60 == 0 ? FormattableString.Invariant($"{window.TotalMinutes:0} min")
        : FormattableString.Invariant($"{window.TotalSeconds:0.###} s");

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, keys, accounts) in _limiters.Values)
        {
            if (keys is not null) await keys.DisposeAsync();
            if (accounts is not null) await accounts.DisposeAsync();
        }
    }
}

public static class RequestLimitEndpoints
{
    /// <summary>Holds the route to its operation's limits (after its group's authorization, which admits the key first).</summary>
    public static RouteHandlerBuilder WithRequestLimit(this RouteHandlerBuilder route, LimitedOperation operation) =>
        route.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<RequestLimits>().Refusal(operation, context.HttpContext) ?? await next(context));
}
