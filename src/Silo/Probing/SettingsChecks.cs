using System.Text.Json.Nodes;
using Sources.Silo.Scheduling;

namespace Sources.Silo.Probing;

/// <summary>
/// The settings check of a create, a test of settings and an update-config: the prober's
/// <see cref="IProber.CheckAsync"/>, its expensive part (decrypting an encrypted key) on the node's
/// bounded blocking pool, under <see cref="ProbeSettings.CheckBudget"/>. A request thread only
/// awaits; when the pool has no thread free within the budget, or the work does not finish
/// within it, the check answers <see cref="SettingsCheck.Busy"/> (the API's 503 with Retry-After)
/// rather than holding the request. Work already running finishes on its pool thread, which
/// stays counted against the pool until it does.
/// </summary>
public sealed class SettingsChecks(ProbeRunner runner, BlockingWork blocking, ProbeSettings settings, TimeProvider time)
{
    public ProbeSettings Settings => settings;

    public async Task<SettingsCheck> Run(string type, JsonObject values, CancellationToken aborted)
    {
        using var budget = new CancellationTokenSource(settings.CheckBudget, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, aborted);
        try
        {
            return new SettingsCheck(await runner.CheckAsync(type, values, blocking, either.Token).WaitAsync(either.Token), Busy: false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return new SettingsCheck([], Busy: true);
        }
    }
}

/// <summary>The problems the settings show, or that the check could not be done in its budget.</summary>
public sealed record SettingsCheck(IReadOnlyList<SettingsProblem> Problems, bool Busy);
