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

    public SettingRules AtLeast(string key, int value, int least) => Require(value >= least, key, value, $"it must be {least} or more");

    public IReadOnlyList<string> Failures => _failures;

    public ValidateOptionsResult Result => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}

public static class ValidatedSettings
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to its section, checks it with <typeparamref name="TRules"/>
    /// when the host starts (a bad value stops the node before it serves anything) and offers the
    /// checked value itself to whoever asks for a <typeparamref name="T"/>.
    /// </summary>
    public static IServiceCollection AddValidatedSettings<T, TRules>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
        where TRules : class, IValidateOptions<T>
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>, TRules>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }
}
