using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Resonance.Hosting.Logging;

/// <summary>
/// Rewrites every string property of every log event so that no credential reaches a sink: the value of an
/// <c>access_token</c> query parameter, a bearer token, anything shaped like a JWT, and an <c>api-token</c>
/// header or setting. ASP.NET Core's request lines (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>, off
/// below Warning by default) carry the socket URL with <c>?access_token=</c>; an operator who turns them on
/// to debug should get the URL without the token. The message text is rendered from these properties, so it
/// is redacted too.
/// </summary>
internal sealed partial class TokenRedactingEnricher : ILogEventEnricher
{
    public const string Redacted = "[redacted]";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Redact(value) is { } redacted)
            {
                (changed ??= []).Add(new LogEventProperty(name, redacted));
            }
        }

        if (changed is null)
        {
            return;
        }

        foreach (var property in changed)
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The text with every credential replaced by <see cref="Redacted"/>; the same instance when there is none.</summary>
    public static string Redact(string text)
    {
        if (text.Length < 8)
        {
            return text;
        }

        var redacted = Jwt().Replace(text, Redacted);
        redacted = Named().Replace(redacted, match => match.Groups["name"].Value + Redacted);
        return redacted;
    }

    /// <summary>A redacted copy of a property value, or null when it holds nothing to redact.</summary>
    private static LogEventPropertyValue? Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var redacted = Redact(text);
                return ReferenceEquals(redacted, text) || redacted == text ? null : new ScalarValue(redacted);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(e => Redact(e)).ToArray();
                return elements.All(e => e is null) ? null : new SequenceValue(sequence.Elements.Select((e, i) => elements[i] ?? e));
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Redact(p.Value)).ToArray();
                return properties.All(p => p is null)
                    ? null
                    : new StructureValue(structure.Properties.Select((p, i) => properties[i] is { } r ? new LogEventProperty(p.Name, r) : p), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => Redact(e.Value)).ToArray();
                return entries.All(e => e is null)
                    ? null
                    : new DictionaryValue(dictionary.Elements.Select((e, i) => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, entries[i] ?? e.Value)));
            default:
                return null;
        }
    }

    /// <summary>Three base64url segments, the first a JSON header (<c>{"</c> is <c>eyJ</c>).</summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwt();

    /// <summary><c>access_token=…</c>, <c>Bearer …</c>, <c>api-token: …</c> and the like, up to the next separator.</summary>
    [GeneratedRegex(@"(?<name>(?:access_token=|bearer\s+|api[-_]?token[""']?\s*[:=]\s*[""']?))[^\s&""',;]+", RegexOptions.IgnoreCase)]
    private static partial Regex Named();
}
