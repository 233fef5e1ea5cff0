using System.Diagnostics;

namespace Sources.Silo.Probing.Common;

/// <summary>
/// What is left of a probe's budget, for drivers whose timeouts apply per step (connect, then
/// each command): each step gets the remainder, so the steps together end within the budget.
/// </summary>
public readonly struct BudgetClock
{
    private readonly long _started;

    private BudgetClock(TimeSpan budget)
    {
        Budget = budget;
        _started = Stopwatch.GetTimestamp();
    }

    public static BudgetClock Start(TimeSpan budget) => new(budget);

    public TimeSpan Budget { get; }

    public TimeSpan Remaining
    {
        get
        {
            var left = Budget - Stopwatch.GetElapsedTime(_started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The remainder in whole seconds, at least one, for drivers that count in seconds.</summary>
    public int Seconds => DriverTimeouts.Seconds(Remaining);
}
