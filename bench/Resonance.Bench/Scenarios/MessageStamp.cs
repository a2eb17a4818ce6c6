using System.Globalization;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// Message content that carries its own send time and index (<c>timestamp|index|padding</c>), so a
/// receiver in this process can time a push without looking anything up. The timestamp is this
/// process's <see cref="System.Diagnostics.Stopwatch"/>: sender and receiver must be in one process.
/// </summary>
internal static class MessageStamp
{
    public static string Create(long sentAt, int index, int size)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{sentAt}|{index}|");
        return head.Length >= size ? head : head + new string('x', size - head.Length);
    }

    public static bool TryParse(string content, out long sentAt, out int index)
    {
        sentAt = 0;
        index = 0;
        var span = content.AsSpan();
        var first = span.IndexOf('|');
        if (first <= 0 || !long.TryParse(span[..first], NumberStyles.None, CultureInfo.InvariantCulture, out sentAt))
        {
            return false;
        }

        span = span[(first + 1)..];
        var second = span.IndexOf('|');
        return second > 0 && int.TryParse(span[..second], NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
