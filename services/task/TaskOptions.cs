using System.ComponentModel.DataAnnotations;

namespace Resonance.TaskService;

/// <summary>The push pipeline's workers and retries. Section <c>Task</c>.</summary>
public sealed class TaskOptions
{
    public const string Section = "Task";

    /// <summary>Workers pushing in parallel; each session always goes to the same worker, so its pushes stay in order. Default 10.</summary>
    [Range(1, 1024)]
    public int WorkerCount { get; set; } = 10;

    /// <summary>Events waiting per worker before publishers are made to wait. Default 4,096.</summary>
    [Range(1, 1_000_000)]
    public int WorkerQueueCapacity { get; set; } = 4_096;

    /// <summary>
    /// Consecutive queued events of one session (at one members version) that a worker pushes together: one
    /// member and route lookup and one batch per gateway for the run. 1: every message on its own. Default 64.
    /// </summary>
    [Range(1, 4_096)]
    public int MaxMessagesPerPush { get; set; } = 64;

    /// <summary>Times a recipient that a gateway could not reach is tried again. Default 3.</summary>
    [Range(0, 100)]
    public int MaxRetry { get; set; } = 3;

    /// <summary>Wait before each retry. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one push to one gateway; a gateway that does not answer in time counts as unreachable. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan GatewayPushTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Dapr engine: how long an event that arrived before the one preceding it in its session waits for it,
    /// so that members see pushes in seq order when Dapr delivers out of order. Default 200 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan ReorderWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Sessions whose member lists are cached; past this the cache starts over. Default 100,000.</summary>
    [Range(1, 100_000_000)]
    public int MaxCachedSessions { get; set; } = 100_000;
}
