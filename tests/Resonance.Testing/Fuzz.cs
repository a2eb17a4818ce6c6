using System.Globalization;
using CsCheck;

namespace Resonance.Testing;

/// <summary>
/// Runs a CsCheck generator for a bounded number of cases from a fixed seed, so that every run (CI's
/// too) tries the same cases. A failing case is handed to CsCheck to shrink, and the failure names
/// the case's seed: <c>CsCheck_Seed=&lt;seed&gt;</c> replays that case alone. <c>CsCheck_Iter=N</c>
/// runs N cases instead of the test's own count, <c>RESONANCE_FUZZ_SEED=&lt;number&gt;</c> other cases.
/// </summary>
public static class Fuzz
{
    /// <summary>The base seed when <c>RESONANCE_FUZZ_SEED</c> is not set.</summary>
    public const ulong DefaultSeed = 20_261_203;

    /// <summary>Most extra cases CsCheck tries while shrinking a failure.</summary>
    private const int ShrinkCases = 500;

    /// <summary>Checks <paramref name="cases"/> values of <paramref name="gen"/>; returns how many it checked.</summary>
    /// <param name="name">Names the run in a failure, and picks its own stream of cases, so tests do not share theirs.</param>
    public static int Run<T>(string name, Gen<T> gen, Action<T> check, int cases)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(check);
        var (replay, count, pcg) = Plan(name, cases);
        if (replay is not null)
        {
            gen.Sample(check, seed: replay, iter: 1, threads: 1);
            return 1;
        }

        for (var i = 0; i < count; i++)
        {
            var seed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            try
            {
                check(value);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Exception reported = ex;
                try
                {
                    gen.Sample(check, seed: seed, iter: ShrinkCases, threads: 1);
                }
                catch (CsCheckException shrunk)
                {
                    reported = shrunk;
                }

                throw new FuzzFailureException(Describe(name, i, count, seed, Check.Print(value)), reported);
            }
        }

        return count;
    }

    /// <summary>The same as <see cref="Run{T}"/> for checks that await.</summary>
    public static async Task<int> RunAsync<T>(string name, Gen<T> gen, Func<T, Task> check, int cases)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(check);
        var (replay, count, pcg) = Plan(name, cases);
        if (replay is not null)
        {
            await gen.SampleAsync(check, seed: replay, iter: 1, threads: 1);
            return 1;
        }

        for (var i = 0; i < count; i++)
        {
            var seed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            try
            {
                await check(value);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Exception reported = ex;
                try
                {
                    await gen.SampleAsync(check, seed: seed, iter: ShrinkCases, threads: 1);
                }
                catch (CsCheckException shrunk)
                {
                    reported = shrunk;
                }

                throw new FuzzFailureException(Describe(name, i, count, seed, Check.Print(value)), reported);
            }
        }

        return count;
    }

    private static (string? Replay, int Count, PCG Cases) Plan(string name, int cases)
    {
        var baseSeed = ulong.TryParse(Environment.GetEnvironmentVariable("RESONANCE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        var stream = StableHash(name);
        var count = Environment.GetEnvironmentVariable("CsCheck_Iter") is { Length: > 0 } ? (int)Check.Iter : cases;
        return (Check.Seed, count, new PCG(stream, baseSeed));
    }

    /// <summary>FNV-1a: the same for a name in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint StableHash(string name)
    {
        var hash = 2_166_136_261u;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 16_777_619u);
        }

        return hash;
    }

    private static string Describe(string name, int index, int count, string seed, string value) =>
        $"{name}: case {index + 1} of {count} failed; replay it with CsCheck_Seed={seed} (the cause below is the smallest failing case CsCheck found from it). The case: {value}";
}
