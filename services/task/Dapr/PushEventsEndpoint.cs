using Dapr;
using Dapr.Client;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Hosting.Dapr;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService.Dapr;

/// <summary>
/// Task's subscription to <c>pubsub</c>/<c>push-events</c> (declared on <c>/dapr/subscribe</c>). Dapr delivers the
/// CloudEvent; <c>UseCloudEvents</c> hands this endpoint its <c>data_base64</c> bytes. Answers, as Dapr reads them:
/// SUCCESS once pushed; RETRY when a gateway or logic could not be reached (daprd retries by the resiliency policy,
/// then hands the failure back to the broker, which delivers the event again; clients dedup by seq); DROP for an
/// event that can never be read, once task has published its bytes to <c>push-events-dead</c> itself.
/// The subscription declares no dead-letter topic on purpose: with one, daprd would move an event there (and ack
/// it) as soon as its retries for a RETRY ran out (dapr/dapr pkg/runtime/subscription/subscription.go), and a
/// gateway down for seconds would lose its pushes.
/// </summary>
public static partial class PushEventsEndpoint
{
    public static IEndpointRouteBuilder MapPushEventsSubscription(this IEndpointRouteBuilder app)
    {
        // Behind the app API token like every route of task (UseAppApiTokenOnEveryRoute).
        app.MapPost(InternalRoutes.PushEvents, HandleAsync)
            .WithTopic(new TopicOptions { PubsubName = DaprNames.PubSub, Name = DaprNames.PushEventsTopic });
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, PushDispatcher dispatcher, SessionSequencer sequencer, DaprClient dapr, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(PushEventsEndpoint).FullName!);
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        PushEvent? pushEvent;
        try
        {
            pushEvent = PushEvent.Parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (InvalidProtocolBufferException ex)
        {
            Log.Poison(logger, ex, http.Request.ContentType);
            pushEvent = null;
        }

        if (pushEvent?.Message is not { SessionId.Length: > 0, Seq: > 0 })
        {
            if (pushEvent is not null)
            {
                Log.Poison(logger, null, http.Request.ContentType);
            }

            return await DeadLetterAsync(dapr, body.ToArray(), logger, http.RequestAborted);
        }

        var message = pushEvent.Message;
        try
        {
            await sequencer.WaitForTurnAsync(message.SessionId, message.Seq, http.RequestAborted);
            var delivered = await dispatcher.QueueAsync(pushEvent, http.RequestAborted);
            sequencer.Queued(message.SessionId, message.Seq);
            if (await delivered.WaitAsync(http.RequestAborted))
            {
                return Status("SUCCESS");
            }

            Log.GatewayUnreachable(logger, message.SessionId, message.Seq);
            return Status("RETRY");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            Log.DeliveryFailed(logger, ex, message.SessionId, message.Seq);
            return Status("RETRY");
        }
    }

    /// <summary>Keeps an event that can never be read on the dead-letter topic, then drops it; RETRY while that publish fails.</summary>
    private static async Task<IResult> DeadLetterAsync(DaprClient dapr, byte[] data, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.PushEventsDeadLetterTopic, data, DaprNames.ProtobufContentType, cancellationToken: cancellationToken);
            return Status("DROP");
        }
        catch (DaprException ex)
        {
            Log.DeadLetterFailed(logger, ex);
            return Status("RETRY");
        }
    }

    private static IResult Status(string status) => Results.Json(new { status });

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A push event that cannot be read (content type {ContentType}) goes to the dead-letter topic and is dropped")]
        public static partial void Poison(ILogger logger, Exception? exception, string? contentType);

        [LoggerMessage(2, LogLevel.Warning, "A gateway could not be reached for {SessionId}#{Seq}; asking Dapr to redeliver")]
        public static partial void GatewayUnreachable(ILogger logger, string sessionId, long seq);

        [LoggerMessage(3, LogLevel.Warning, "Delivering {SessionId}#{Seq} failed; asking Dapr to redeliver")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, string sessionId, long seq);

        [LoggerMessage(4, LogLevel.Warning, "A push event that cannot be read could not be put on the dead-letter topic; asking Dapr to redeliver")]
        public static partial void DeadLetterFailed(ILogger logger, Exception exception);
    }
}
