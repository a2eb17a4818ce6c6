namespace Resonance.TaskService.Dispatch;

/// <summary>One user on one gateway: the unit that is delivered, fails and is retried.</summary>
public readonly record struct GatewayRecipient(string GatewayId, string Username);
