using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>Splits a batch of sends into runs of consecutive sends to one session, in order: each run is one turn of its session.</summary>
public static class SessionRuns
{
    public static IEnumerable<IReadOnlyList<SendCommand>> Of(IReadOnlyList<SendCommand> sends)
    {
        ArgumentNullException.ThrowIfNull(sends);
        var start = 0;
        for (var i = 1; i <= sends.Count; i++)
        {
            if (i == sends.Count || !string.Equals(sends[i].SessionId, sends[start].SessionId, StringComparison.Ordinal))
            {
                var run = new SendCommand[i - start];
                for (var k = start; k < i; k++)
                {
                    run[k - start] = sends[k];
                }

                yield return run;
                start = i;
            }
        }
    }
}
