using System.ComponentModel.DataAnnotations;

namespace Resonance.Logic;

/// <summary>Limits of the session logic. Section <c>Logic</c>.</summary>
public sealed class LogicOptions : IValidatableObject
{
    public const string Section = "Logic";

    /// <summary>Longest message content, in UTF-16 characters. Default 16,384.</summary>
    [Range(1, 1_048_576)]
    public int MaxContentLength { get; set; } = 16_384;

    /// <summary>Most members a session may have. Default 10,000.</summary>
    [Range(2, 1_000_000)]
    public int MaxMembers { get; set; } = 10_000;

    /// <summary>Messages returned by a sync or history page when the caller names no limit. Default 100.</summary>
    [Range(1, 10_000)]
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Most messages one sync or history page returns. Default 500.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 500;

    /// <summary>
    /// Content a sync or history page carries at most, in UTF-16 characters (at least one message is
    /// always returned); the rest comes with <c>hasMore</c>. Keeps answers within a sane frame size. Default 262,144.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxPageContentLength { get; set; } = 262_144;

    /// <summary>Sessions kept loaded in memory; past this the least recently used idle ones are dropped. Default 100,000.</summary>
    [Range(10, 100_000_000)]
    public int MaxLoadedSessions { get; set; } = 100_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultPageSize > MaxPageSize)
        {
            yield return new ValidationResult("Logic:DefaultPageSize must not exceed Logic:MaxPageSize.", [nameof(DefaultPageSize), nameof(MaxPageSize)]);
        }
    }
}
