namespace Resonance.Bench.Reporting;

/// <summary>What one scenario run measured: its parameters, figures, latency distributions and remarks.</summary>
internal sealed class ScenarioReport(string scenario, string target)
{
    public string Scenario { get; } = scenario;

    public string Target { get; } = target;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public MachineInfo Machine { get; } = MachineInfo.Collect();

    public IList<KeyValuePair<string, string>> Parameters { get; } = [];

    public IList<Metric> Metrics { get; } = [];

    public IList<LatencySummary> Latencies { get; } = [];

    public IList<string> Notes { get; } = [];

    public void Parameter(string name, object value) =>
        Parameters.Add(new(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));

    public void Metric(string name, double value, string unit) => Metrics.Add(new Metric(name, value, unit));

    public void Latency(string name, LatencyRecorder recorder) => Latencies.Add(recorder.Summarize(name));

    public void Note(string note) => Notes.Add(note);
}
