using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Secrets;

namespace Sources.Lifecycle.Tests;

public sealed class SourceHealthTests
{
    private static readonly ProbeSettings Settings = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_auth_failure_in_a_row_doubles_the_wait_up_to_the_maximum()
    {
        var waits = Enumerable.Range(0, 10).Select(n => SourceHealth.NextCheck(Now, n, Settings) - Now).ToList();
        var early = Settings.Interval / 10;
        Assert.Equal(Settings.Interval - early, waits[0]);
        Assert.Equal(Settings.Interval * 2 - early, waits[1]);
        Assert.Equal(Settings.Interval * 4 - early, waits[2]);
        Assert.All(waits, w => Assert.True(w <= Settings.MaxBackoff));
        Assert.Equal(Settings.MaxBackoff - early, waits[^1]);
    }

    [Theory]
    [InlineData(ProbeOutcome.Ok, SourceStatus.Healthy)]
    [InlineData(ProbeOutcome.AuthFailed, SourceStatus.Failing)]
    [InlineData(ProbeOutcome.Unreachable, SourceStatus.Failing)]
    [InlineData(ProbeOutcome.AwaitingKeyRegistration, SourceStatus.AwaitingKeyRegistration)]
    public void Status_follows_the_last_probe(string outcome, string status)
    {
        var record = new SourceRecord { LastProbe = new ProbeResult { Outcome = outcome } };
        Assert.Equal(status, SourceHealth.StatusAt(record, Now, Settings));
    }

    [Fact]
    public void No_probe_yet_is_pending_and_warnings_make_a_working_source_degraded()
    {
        Assert.Equal(SourceStatus.Pending, SourceHealth.StatusAt(new SourceRecord(), Now, Settings));
        var warned = new SourceRecord { LastProbe = ProbeResult.Succeeded("v", "{}", ["The selected schema 'x' does not exist."]) };
        Assert.Equal(SourceStatus.Degraded, SourceHealth.StatusAt(warned, Now, Settings));
    }

    [Fact]
    public void A_credential_turns_degraded_seven_days_before_expiry_and_failing_at_it_with_no_probe()
    {
        var healthy = new SourceRecord { LastProbe = ProbeResult.Succeeded("v", "{}", []) };
        Assert.Equal(SourceStatus.Healthy, SourceHealth.StatusAt(healthy with { CredentialExpiresAt = Now.AddDays(8) }, Now, Settings));
        Assert.Equal(SourceStatus.Degraded, SourceHealth.StatusAt(healthy with { CredentialExpiresAt = Now.AddDays(6) }, Now, Settings));
        Assert.Equal(SourceStatus.Failing, SourceHealth.StatusAt(healthy with { CredentialExpiresAt = Now }, Now, Settings));
        Assert.Equal(SourceStatus.Failing, SourceHealth.StatusAt(new SourceRecord { CredentialExpiresAt = Now.AddSeconds(-1) }, Now, Settings));
    }

    [Fact]
    public void The_expiry_of_a_jwt_secret_is_read_from_its_exp_claim()
    {
        var exp = Now.AddDays(3).ToUnixTimeSeconds();
        var payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"exp\":{exp}}}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var secrets = new System.Text.Json.Nodes.JsonObject { ["password"] = "not-a-jwt", ["token"] = $"eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln" };
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(exp), CredentialExpiry.Earliest(secrets));
        Assert.Null(CredentialExpiry.Earliest(new System.Text.Json.Nodes.JsonObject { ["password"] = "a.b.c" }));
    }
}
