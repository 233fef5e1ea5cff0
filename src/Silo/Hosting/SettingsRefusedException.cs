namespace Sources.Silo.Hosting;

/// <summary>
/// The node's configuration breaks a rule: each failure is one sentence naming its configuration
/// key and the value given. Thrown while the node is composed or started; <see cref="StartupRefusal"/>
/// turns it into one line per failure on standard error and a non-zero exit code.
/// </summary>
public sealed class SettingsRefusedException(IReadOnlyList<string> failures) : InvalidOperationException(string.Join(" ", failures))
{
    public IReadOnlyList<string> Failures { get; } = failures;
}
