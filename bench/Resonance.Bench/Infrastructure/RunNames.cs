using System.Globalization;

namespace Resonance.Bench.Infrastructure;

/// <summary>Usernames unique to one run, so runs against a long-lived server never share users or sessions.</summary>
internal sealed class RunNames
{
    private readonly string _prefix = "bench-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));

    /// <summary>What every name of this run starts with (<c>bench-1a2b3c4d</c>).</summary>
    public string Prefix => _prefix;

    public string User(string role, int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{role}{index}");

    public string[] Users(string role, int count) => Enumerable.Range(0, count).Select(i => User(role, i)).ToArray();
}
