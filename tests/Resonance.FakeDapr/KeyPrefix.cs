namespace Resonance.FakeDapr;

/// <summary>
/// A state store's <c>keyPrefix</c> metadata, as daprd applies it to keys
/// (dapr/components-contrib state/utils: <c>appid</c> → <c>appid||key</c> (the default), <c>name</c> → <c>storename||key</c>, <c>none</c> → key).
/// </summary>
public enum KeyPrefix
{
    AppId,
    Name,
    None,
}
