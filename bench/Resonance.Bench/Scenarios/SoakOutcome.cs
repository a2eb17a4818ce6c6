namespace Resonance.Bench.Scenarios;

/// <summary>What the soak command's exit code depends on, filled in by the scenario.</summary>
internal sealed class SoakOutcome
{
    public long Lost { get; set; }

    public long Duplicates { get; set; }

    public bool Completed { get; set; }
}
