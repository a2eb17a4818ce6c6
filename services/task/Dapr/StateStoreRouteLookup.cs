using System.Text.Json;
using Dapr.Client;
using Resonance.Contracts;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService.Dapr;

/// <summary>Routes from the <c>routes</c> state store: one bulk get per push event, entries past their expiry ignored.</summary>
public sealed class StateStoreRouteLookup(DaprClient dapr, TimeProvider time) : IRouteLookup
{
    private const int BulkParallelism = 8;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGatewaysAsync(IReadOnlyCollection<string> usernames, CancellationToken cancellationToken)
    {
        var keys = new List<string>(usernames.Count);
        foreach (var username in usernames)
        {
            keys.Add(UserRoutesRecord.KeyOf(username));
        }

        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return result;
        }

        var items = await dapr.GetBulkStateAsync(DaprNames.RouteStore, keys, BulkParallelism, cancellationToken: cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var item in items)
        {
            if (string.IsNullOrEmpty(item.Value) || JsonSerializer.Deserialize<UserRoutesRecord>(item.Value, RouteJson.Options) is not { } record)
            {
                continue;
            }

            var gateways = new List<string>(record.Gateways.Count);
            foreach (var (gatewayId, expiresAt) in record.Gateways)
            {
                if (expiresAt > now)
                {
                    gateways.Add(gatewayId);
                }
            }

            if (gateways.Count > 0)
            {
                result[UserRoutesRecord.UsernameOf(item.Key)] = gateways;
            }
        }

        return result;
    }
}
