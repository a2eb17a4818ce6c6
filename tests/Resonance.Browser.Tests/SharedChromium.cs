namespace Resonance.Browser.Tests;

/// <summary>Browser tests share one Chromium and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SharedChromium : ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}
