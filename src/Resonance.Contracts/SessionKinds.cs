namespace Resonance.Contracts;

public static class SessionKinds
{
    public const string Group = "group";
    public const string Direct = "direct";
}
