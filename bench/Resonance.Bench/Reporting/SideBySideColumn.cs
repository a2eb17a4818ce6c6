namespace Resonance.Bench.Reporting;

/// <summary>A column of a side-by-side table: a header and the dotted path of the figure in each system's JSON.</summary>
internal sealed record SideBySideColumn(string Header, string Path);
