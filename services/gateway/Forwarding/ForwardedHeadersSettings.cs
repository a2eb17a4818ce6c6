using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Resonance.Gateway.Forwarding;

/// <summary>
/// Which proxies' <c>X-Forwarded-For</c> the gateway believes, so that the REST limiter keys anonymous requests on
/// the client's address rather than the ingress's. Section <c>Gateway:ForwardedHeaders</c>. Off by default: with
/// neither list set, the header is ignored whoever sends it (anyone could otherwise pick their own bucket).
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "Gateway:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies (e.g. <c>10.0.0.7</c>, <c>::1</c>). Default none.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (e.g. <c>10.244.0.0/16</c>, a cluster's pod network). Default none.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>
    /// How many proxies, counted from the gateway, may each add an address to the header; the address before
    /// the last trusted one is the client's. Default 1 (one ingress in front of the gateway).
    /// </summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is trusted, i.e. whether forwarded headers are applied at all.</summary>
    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"{Section}:KnownProxies: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
            }
        }

        foreach (var network in KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return new ValidationResult($"{Section}:KnownNetworks: '{network}' is not a network in CIDR form (address/prefix).", [nameof(KnownNetworks)]);
            }
        }
    }
}
