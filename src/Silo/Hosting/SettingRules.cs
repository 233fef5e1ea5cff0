using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sources.Silo.Hosting;

/// <summary>
/// What a settings class must hold, each failure naming its configuration key and the value given,
/// so a node that refuses to start says which line of its configuration to fix.
/// </summary>
public sealed class SettingRules
{
    private readonly List<string> _failures = [];

    public SettingRules Require(bool holds, string key, object? value, string rule)
    {
        if (!holds)
            _failures.Add(FormattableString.Invariant($"{key} is '{value}'; {rule}."));
        return this;
    }

    /// <summary>A failure whose whole message is given (for rules that span several keys).</summary>
    public SettingRules Require(bool holds, string message)
    {
        if (!holds)
            _failures.Add(message);
        return this;
    }

    public SettingRules Positive(string key, TimeSpan value) => Require(value > TimeSpan.Zero, key, value, "it must be more than zero");

    public SettingRules AtLeast(string key, long value, long least) => Require(value >= least, key, value, $"it must be {least} or more");

    public SettingRules AtMost(string key, long value, long most) => Require(value <= most, key, value, $"it must be {most} or less");

    /// <summary>A duration more than zero and at most <paramref name="most"/>.</summary>
    public SettingRules Within(string key, TimeSpan value, TimeSpan most) =>
        Positive(key, value).Require(value <= most, key, value, FormattableString.Invariant($"it must be {most} or less"));

    /// <summary>An absolute http or https address.</summary>
    public SettingRules HttpAddress(string key, string? value) =>
        Require(Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
            key, value, "it must be an absolute http or https address");

    public IReadOnlyList<string> Failures => _failures;

    public ValidateOptionsResult Result => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}

public static class ValidatedSettings
{
    /// <summary>The section bound to a new <typeparamref name="T"/>; a value the binder cannot convert is refused naming its key.</summary>
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var settings = new T();
        Bind(configuration.GetSection(section), settings);
        return settings;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to its section, checks it with <typeparamref name="TRules"/>
    /// when the host starts (a bad value stops the node before it serves anything) and offers the
    /// checked value itself to whoever asks for a <typeparamref name="T"/>.
    /// </summary>
    public static IServiceCollection AddValidatedSettings<T, TRules>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
        where TRules : class, IValidateOptions<T>
    {
        var values = configuration.GetSection(section);
        services.AddOptions<T>().Configure(settings => Bind(values, settings)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, TRules>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }

    /// <summary>
    /// Binds <paramref name="values"/> onto <paramref name="settings"/>. A value the binder cannot
    /// convert (a word where a number goes) is refused like a broken rule, so the node's start-up
    /// says which key it was rather than failing as a fault.
    /// </summary>
    private static void Bind(IConfiguration values, object settings)
    {
        try
        {
            values.Bind(settings);
        }
        catch (InvalidOperationException unconvertible)
        {
            throw new SettingsRefusedException([unconvertible.Message]);
        }
    }
}
