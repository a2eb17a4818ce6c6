using Dapr;
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
/// Task's subscription to <c>pubsub</c>/<c>push-events</c> (declared on <c>/dapr/subscribe</c>, with the
/// dead-letter topic <c>push-events-dead</c>). Dapr delivers the CloudEvent; <c>UseCloudEvents</c> hands
/// this endpoint its <c>data_base64</c> bytes. Answers, as Dapr reads them: SUCCESS once pushed, RETRY when a
/// gateway or logic could not be reached (Dapr redelivers; clients dedup by seq), DROP for an event that can
/// never be read (Dapr moves it to the dead-letter topic).
/// </summary>
public static partial class PushEventsEndpoint
{
    public static IEndpointRouteBuilder MapPushEventsSubscription(this IEndpointRouteBuilder app)
    {
        app.MapPost(InternalRoutes.PushEvents, HandleAsync)
            .AddEndpointFilter<AppApiTokenFilter>()
            .WithTopic(new TopicOptions { PubsubName = DaprNames.PubSub, Name = DaprNames.PushEventsTopic, DeadLetterTopic = DaprNames.PushEventsDeadLetterTopic });
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, PushDispatcher dispatcher, SessionSequencer sequencer, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(PushEventsEndpoint).FullName!);
        PushEvent pushEvent;
        try
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            pushEvent = PushEvent.Parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (InvalidProtocolBufferException ex)
        {
            Log.Poison(logger, ex, http.Request.ContentType);
            return Status("DROP");
        }

        if (pushEvent.Message is null || pushEvent.Message.SessionId.Length == 0 || pushEvent.Message.Seq <= 0)
        {
            Log.Poison(logger, null, http.Request.ContentType);
            return Status("DROP");
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

    private static IResult Status(string status) => Results.Json(new { status });

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A push event that cannot be read (content type {ContentType}) is dropped to the dead-letter topic")]
        public static partial void Poison(ILogger logger, Exception? exception, string? contentType);

        [LoggerMessage(2, LogLevel.Warning, "A gateway could not be reached for {SessionId}#{Seq}; asking Dapr to redeliver")]
        public static partial void GatewayUnreachable(ILogger logger, string sessionId, long seq);

        [LoggerMessage(3, LogLevel.Warning, "Delivering {SessionId}#{Seq} failed; asking Dapr to redeliver")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, string sessionId, long seq);
    }
}
