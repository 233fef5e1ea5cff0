using Orleans;
using Orleans.Runtime;
using Sources.Silo.Storage;

namespace Sources.Silo.Tests.Storage;

/// <summary>A grain that exercises exactly what the storage layer provides: persistent state and reminders.</summary>
public interface IProbeGrain : IGrainWithIntegerKey
{
    Task Set(string value);

    Task<ProbeSnapshot> Get();

    Task Clear();

    Task RegisterReminder(string name);

    Task UnregisterReminder(string name);

    Task<string[]> ReminderNames();

    /// <summary>The silo and the activation that answered, to tell whether two callers reached the same one.</summary>
    Task<string> Activation();
}

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

[GenerateSerializer]
public sealed record ProbeSnapshot([property: Id(0)] string? Value, [property: Id(1)] string? ETag, [property: Id(2)] bool RecordExists);

public sealed class ProbeGrain(
    [PersistentState("probe", SourcesStorageExtensions.StorageName)] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    private readonly Guid activation = Guid.NewGuid();

    public async Task Set(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<ProbeSnapshot> Get() => Task.FromResult(new ProbeSnapshot(state.State.Value, state.Etag, state.RecordExists));

    public Task Clear() => state.ClearStateAsync();

    // Far in the future: the tests check that reminders are stored, not that they fire.
    public Task RegisterReminder(string name) => this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task UnregisterReminder(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"No reminder '{name}'.");
        await this.UnregisterReminder(reminder);
    }

    public async Task<string[]> ReminderNames() => [.. (await this.GetReminders()).Select(r => r.ReminderName).Order()];

    public Task<string> Activation() => Task.FromResult($"{RuntimeIdentity}/{activation:N}");

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
