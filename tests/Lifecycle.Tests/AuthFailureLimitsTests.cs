using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Targets;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// At most 5 failed sign-ins per 15 minutes at one target (type, host, user) from this node; then
/// Sources answers without contacting the target, says so, and says when it tries again.
/// </summary>
public sealed class AuthFailureLimitsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly AuthFailureLimits _limits;

    public AuthFailureLimitsTests() => _limits = new AuthFailureLimits(new AuthFailureSettings(), _time);

    private static readonly ProbeResult Denied = ProbeResult.Failed(ProbeOutcome.AuthFailed, "Incorrect username or password was specified.");

    private static JsonObject Snowflake(string user, string password) =>
        new() { ["account"] = "victimorg-prod", ["user"] = user, ["password"] = password };

    private void Fail(string type, JsonObject settings, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Null(_limits.Refusal(type, settings));
            _limits.Record(type, settings, Denied);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void The_sixth_sign_in_within_the_window_is_refused_without_contact_and_says_when_it_tries_again()
    {
        // Five different guesses: the password is no part of the target.
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(_limits.Refusal("SNOWFLAKE", Snowflake("ETL_USER", $"wrong-{i}")));
            _limits.Record("SNOWFLAKE", Snowflake("ETL_USER", $"wrong-{i}"), Denied);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var refusal = _limits.Refusal("SNOWFLAKE", Snowflake("etl_user", "wrong-5"));

        Assert.NotNull(refusal);
        Assert.Equal(ProbeOutcome.AuthFailed, refusal.Outcome);
        Assert.StartsWith("Sources is holding back", refusal.Message, StringComparison.Ordinal);
        // The first failure leaves the window 15 minutes after it happened.
        Assert.Contains("2026-12-01 12:15:00 UTC", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow(), refusal.CheckedAt);
    }

    [Fact]
    public void The_hold_ends_when_the_oldest_failure_leaves_the_window()
    {
        Fail("SNOWFLAKE", Snowflake("ETL_USER", "x"), 5);
        _time.SetUtcNow(Start + TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.NotNull(_limits.Refusal("SNOWFLAKE", Snowflake("ETL_USER", "x")));

        _time.SetUtcNow(Start + TimeSpan.FromMinutes(15));

        Assert.Null(_limits.Refusal("SNOWFLAKE", Snowflake("ETL_USER", "x")));
        // One more failure holds it again: four of the five are still inside the window.
        _limits.Record("SNOWFLAKE", Snowflake("ETL_USER", "x"), Denied);
        Assert.NotNull(_limits.Refusal("SNOWFLAKE", Snowflake("ETL_USER", "x")));
    }

    [Fact]
    public void Four_failures_hold_nothing_and_other_users_and_hosts_are_apart()
    {
        Fail("SNOWFLAKE", Snowflake("ETL_USER", "x"), 4);
        Assert.Null(_limits.Refusal("SNOWFLAKE", Snowflake("ETL_USER", "x")));

        Fail("SNOWFLAKE", Snowflake("ETL_USER", "x"), 1);

        Assert.NotNull(_limits.Refusal("SNOWFLAKE", Snowflake("ETL_USER", "x")));
        Assert.Null(_limits.Refusal("SNOWFLAKE", Snowflake("OTHER_USER", "x")));
        Assert.Null(_limits.Refusal("SNOWFLAKE", new JsonObject { ["account"] = "otherorg", ["user"] = "ETL_USER" }));
    }

    [Fact]
    public void A_success_clears_the_count()
    {
        Fail("MYSQL", MySql("db.example.com", "app"), 4);

        _limits.Record("MYSQL", MySql("db.example.com", "app"), ProbeResult.Succeeded("8.4", "{}", []));
        Fail("MYSQL", MySql("db.example.com", "app"), 4);

        Assert.Null(_limits.Refusal("MYSQL", MySql("db.example.com", "app")));
    }

    [Fact]
    public void Other_outcomes_do_not_count()
    {
        for (var i = 0; i < 10; i++)
            _limits.Record("MYSQL", MySql("db.example.com", "app"), ProbeResult.Failed(ProbeOutcome.Unreachable, "Connection refused."));

        Assert.Null(_limits.Refusal("MYSQL", MySql("db.example.com", "app")));
        Assert.Equal(0, _limits.Tracked);
    }

    [Fact]
    public void A_connection_string_and_fields_naming_the_same_user_at_the_same_host_are_one_target()
    {
        Fail("POSTGRES", new JsonObject { ["connection_string"] = "postgresql://analyst:one@DB.example.com:5432/analytics" }, 3);
        Fail("POSTGRES", new JsonObject { ["hostname"] = "db.example.com", ["username"] = "analyst", ["password"] = "two", ["database_name"] = "analytics" }, 2);

        Assert.NotNull(_limits.Refusal("POSTGRES", new JsonObject { ["connection_string"] = "host=db.example.com;username=analyst;password=three;database=other" }));
        Assert.Null(_limits.Refusal("POSTGRES", new JsonObject { ["connection_string"] = "postgresql://someone:one@db.example.com/analytics" }));
    }

    [Fact]
    public void Where_a_token_is_the_identity_another_token_is_another_target()
    {
        var broken = new JsonObject { ["database_name"] = "my_db", ["token"] = "broken-token" };
        Fail("MOTHERDUCK", broken, 5);

        Assert.NotNull(_limits.Refusal("MOTHERDUCK", broken));
        Assert.Null(_limits.Refusal("MOTHERDUCK", new JsonObject { ["database_name"] = "my_db", ["token"] = "someone-elses-token" }));
    }

    [Fact]
    public void Targets_whose_failures_have_all_expired_are_forgotten()
    {
        for (var i = 0; i < 100; i++)
            _limits.Record("MYSQL", MySql($"db{i}.example.com", "app"), Denied);
        Assert.Equal(100, _limits.Tracked);

        _time.Advance(TimeSpan.FromMinutes(16));
        _limits.Record("MYSQL", MySql("new.example.com", "app"), Denied);

        Assert.Equal(1, _limits.Tracked);
    }

    [Fact]
    public void A_max_of_zero_turns_the_cap_off()
    {
        var off = new AuthFailureLimits(new AuthFailureSettings { Max = 0 }, _time);
        for (var i = 0; i < 10; i++)
            off.Record("MYSQL", MySql("db.example.com", "app"), Denied);

        Assert.Null(off.Refusal("MYSQL", MySql("db.example.com", "app")));
    }

    private static JsonObject MySql(string host, string user) =>
        new() { ["hostname"] = host, ["username"] = user, ["password"] = "pw", ["database_name"] = "shop" };
}
