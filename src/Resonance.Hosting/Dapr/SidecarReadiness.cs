using Dapr.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Resonance.Hosting.Dapr;

/// <summary>
/// Completes once the sidecar's outbound side is healthy (what <see cref="DaprClient.WaitForSidecarAsync"/>
/// checks). The app listens at once, because daprd reads <c>/dapr/config</c> and <c>/dapr/subscribe</c>
/// before it calls itself healthy; only the app's own background work waits for this.
/// </summary>
public sealed partial class SidecarReadiness(DaprClient dapr, DaprSidecarOptions sidecar, ILogger<SidecarReadiness> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Waiting(logger, sidecar.HttpEndpoint);
        try
        {
            await dapr.WaitForSidecarAsync(stoppingToken);
            Log.Ready(logger, sidecar.HttpEndpoint);
            _ready.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _ready.TrySetCanceled(stoppingToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Waiting for the Dapr sidecar at {SidecarAddress} (outbound health) before background work")]
        public static partial void Waiting(ILogger logger, Uri sidecarAddress);

        [LoggerMessage(2, LogLevel.Information, "The Dapr sidecar at {SidecarAddress} is ready")]
        public static partial void Ready(ILogger logger, Uri sidecarAddress);
    }
}
