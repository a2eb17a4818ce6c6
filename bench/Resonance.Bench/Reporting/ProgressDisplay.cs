using Spectre.Console;

namespace Resonance.Bench.Reporting;

/// <summary>A progress bar for a long step, on standard error so that standard output keeps only the tables.</summary>
internal static class ProgressDisplay
{
    private static readonly IAnsiConsole StandardError = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs <paramref name="work"/> under a bar from 0 to <paramref name="total"/>; the work reports how far it is through the callback.</summary>
    public static Task<T> RunAsync<T>(string description, double total, Func<Action<double>, Task<T>> work) =>
        StandardError.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                var result = await work(value => task.Value = Math.Min(value, task.MaxValue));
                task.StopTask();
                return result;
            });
}
