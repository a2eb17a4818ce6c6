using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Resonance.Contracts.V1;
using Resonance.Testing;
using static Microsoft.Playwright.Assertions;

namespace Resonance.Browser.Tests;

/// <summary>How the page copes with limits, drops, hanging handshakes and tokens gone bad.</summary>
[Collection(SharedChromium.Name)]
public sealed partial class ChatPageRobustnessTests(Chromium chromium)
{
    private const int SmallFrameLimit = 4096;

    [Fact]
    public async Task A_message_larger_than_the_frame_limit_is_refused_and_the_connection_stays_up()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:MaxFrameBytes"] = SmallFrameLimit.ToString(CultureInfo.InvariantCulture),
        });
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        await alice.CreateSessionAsync("group", "limits", "bob");

        // 1,400 characters, but 4,200 UTF-8 bytes: the limit counts bytes.
        await alice.SendAsync(new string('€', 1_400));

        await Expect(alice.FailedMessages).ToHaveCountAsync(1);
        await Expect(alice.FailedMessages.Locator(".status")).ToContainTextAsync("too large");
        await Expect(alice.Errors).ToContainTextAsync(["too large"]);
        await Expect(alice.PendingMessages).ToHaveCountAsync(1); // the failed one only: nothing waits
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-retries", "0");

        await alice.SendAsync("a normal message");
        await Expect(alice.Messages).ToHaveTextAsync(["a normal message"]);
        await Expect(alice.FailedMessages).ToHaveCountAsync(1);
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-retries", "0"); // never dropped
    }

    [Fact]
    public async Task A_send_the_server_closes_with_1009_fails_and_is_not_sent_again()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:MaxFrameBytes"] = SmallFrameLimit.ToString(CultureInfo.InvariantCulture),
        });
        var connections = 0;

        // The welcome is made to announce a larger limit than the server keeps, so the page sends
        // the frame and the server closes the socket with 1009.
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice", page =>
            page.RouteWebSocketAsync(SocketPath(), socket =>
            {
                Interlocked.Increment(ref connections);
                var toServer = socket.ConnectToServer();
                toServer.OnMessage(frame =>
                {
                    var packet = JsonNode.Parse(frame.Text!)!;
                    if (packet["welcome"] is JsonObject welcome)
                    {
                        welcome["maxFrameBytes"] = 1_000_000;
                    }

                    socket.Send(packet.ToJsonString());
                });
                toServer.OnClose((code, reason) => socket.CloseAsync(new WebSocketRouteCloseOptions { Code = code, Reason = reason }));
            }));
        await alice.CreateSessionAsync("group", "limits", "bob");
        Assert.Equal(1, Volatile.Read(ref connections));

        await alice.SendAsync(new string('x', SmallFrameLimit + 100));

        await Expect(alice.FailedMessages).ToHaveCountAsync(1);
        await Expect(alice.FailedMessages.Locator(".status")).ToContainTextAsync("too large");
        await Expect(alice.Errors).ToContainTextAsync(["too large"]);
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
        await alice.SendAsync("a normal message");
        await Expect(alice.Messages).ToHaveTextAsync(["a normal message"]);
        await Expect(alice.PendingMessages).ToHaveCountAsync(1); // the failed one
        await Expect(alice.FailedMessages).ToHaveCountAsync(1);
        Assert.Equal(2, Volatile.Read(ref connections)); // one reconnect, no loop
    }

    [Fact]
    public async Task Backoff_grows_across_quick_drops_and_resets_after_a_stable_connection()
    {
        await using var server = await StandaloneServer.StartAsync();
        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob", page => page.Clock.InstallAsync());
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-retries", "0");

        // Each drop comes right after the welcome: the backoff must not start over.
        (int Min, int Max)[] expected = [(250, 500), (500, 1_000), (1_000, 2_000)];
        for (var drop = 1; drop <= expected.Length; drop++)
        {
            Assert.True(server.DropConnections("bob") >= 1);
            await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-retries", drop.ToString(CultureInfo.InvariantCulture));
            await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
            var delay = await RetryDelayAsync(bob);
            Assert.InRange(delay, expected[drop - 1].Min, expected[drop - 1].Max);
        }

        // Up for 10 s: the next drop is retried quickly again.
        await bob.Page.Clock.FastForwardAsync(10_500);
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-retries", "0");
        Assert.True(server.DropConnections("bob") >= 1);
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-retries", "1");
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
        Assert.InRange(await RetryDelayAsync(bob), 250, 500);
    }

    [Fact]
    public async Task A_handshake_without_a_welcome_is_given_up_after_a_timeout_and_tried_again()
    {
        var hold = new SocketHold();
        await using var server = await StandaloneServer.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IStartupFilter>(hold));
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice", page => page.Clock.InstallAsync());

        hold.Hold();
        Assert.Equal(1, server.DropConnections("alice"));
        await Eventually.TrueAsync(() => hold.Waiting == 1, "the page's reconnect is held");
        await Expect(alice.ConnectionState).ToHaveTextAsync("reconnecting…");

        await alice.Page.Clock.FastForwardAsync(10_500);
        await Expect(alice.ConnectionState).ToContainTextAsync("no welcome");
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-state", "reconnecting");
        await Eventually.TrueAsync(() => hold.Waiting == 0, "the page has given up the held handshake");

        hold.Release();
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
    }

    [Fact]
    public async Task A_token_the_server_refuses_signs_out_instead_of_reconnecting_forever()
    {
        await using var server = await StandaloneServer.StartAsync();
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");

        // As if the server had restarted with another signing key: same claims, wrong signature.
        await alice.Page.EvaluateAsync("""
            () => {
              const [header, payload, signature] = sessionStorage.getItem('resonance.token').split('.');
              sessionStorage.setItem('resonance.token', [header, payload, [...signature].reverse().join('')].join('.'));
            }
            """);
        await alice.Page.ReloadAsync();

        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-state", "signed-out");
        await Expect(alice.Page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await Expect(alice.Errors).ToContainTextAsync(["sign in again"]);
        await Expect(alice.Page.Locator("#chat")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_socket_closed_because_its_token_expired_signs_in_again_and_carries_on()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:DevTokenLifetime"] = "00:00:04",
            ["Auth:ClockSkew"] = "00:00:00",
        });
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        var first = await TokenAsync(alice);
        await alice.CreateSessionAsync("group", "renewals", "bob");
        await alice.SendAsync("before the expiry");
        await Expect(alice.Messages).ToHaveTextAsync(["before the expiry"]);

        // Dev tokens expire on a whole second, 3 to 4 s after sign-in.
        await alice.Page.WaitForFunctionAsync("first => sessionStorage.getItem('resonance.token') !== first", first);
        await Expect(alice.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
        await alice.SendAsync("after the expiry");

        await Expect(alice.Messages).ToHaveTextAsync(["before the expiry", "after the expiry"]);
        await Expect(alice.Page.GetByTestId("me")).ToHaveTextAsync("alice");
        await Expect(alice.Errors).ToHaveCountAsync(0);
        Assert.True(server.GetRequiredService<Gateway.GatewayCounters>().TokenExpiryCloses >= 1);
    }

    [Fact]
    public async Task A_session_list_answered_after_signing_in_as_someone_else_is_ignored()
    {
        await using var server = await StandaloneServer.StartAsync();
        await using var user = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        await user.CreateSessionAsync("group", "alice's secrets", "bob");

        // Hold alice's next session list until carol has signed in on the same page.
        var holding = 1;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The list is read in pages (…/sessions?limit=…&afterSessionId=…).
        await user.Page.RouteAsync("**/api/v1/sessions?*", async route =>
        {
            if (route.Request.Method == "GET" && Interlocked.Exchange(ref holding, 0) == 1)
            {
                held.TrySetResult();
                await release.Task;
            }

            await route.ContinueAsync();
        });
        await user.RefreshSessionsAsync();
        await held.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var aliceToken = await user.Page.EvaluateAsync<string>("() => sessionStorage.getItem('resonance.token')");
        await user.SignOutAsync();
        await user.SignInFormAsync("carol");

        var stale = user.Page.WaitForResponseAsync(response =>
            response.Url.Contains("/api/v1/sessions?", StringComparison.Ordinal) &&
            response.Request.Headers.GetValueOrDefault("authorization") == $"Bearer {aliceToken}");
        release.SetResult();
        await stale;
        await user.CreateSessionAsync("group", "carol's room", "dave"); // well after the stale answer
        await Expect(user.Page.GetByTestId("session-name")).ToHaveTextAsync(["carol's room"]);
    }

    [Fact]
    public async Task Only_the_latest_messages_of_a_session_are_kept()
    {
        const int Sent = 520;
        const int Kept = 500;
        await using var server = await StandaloneServer.StartAsync();
        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob");
        var aliceToken = await server.GetTokenAsync("alice");
        var sessionId = await server.CreateSessionAsync(aliceToken, "group", "bob");
        await bob.RefreshSessionsAsync();
        await bob.OpenAsync(sessionId);

        await using (var alice = await TestSocket.ConnectAsync(server, aliceToken))
        {
            for (var batch = 0; batch < Sent / 40; batch++)
            {
                for (var i = 1; i <= 40; i++)
                {
                    await alice.SendMessageAsync(sessionId, $"m{(batch * 40) + i}");
                }

                await alice.ReceivePushesAsync(40);
            }
        }

        var shown = bob.Page.Locator("#messages > [data-testid=message]");

        // The page redraws the list per push: on a loaded machine 520 redraws take a while.
        await Expect(shown.Last).ToHaveAttributeAsync("data-seq", Sent.ToString(CultureInfo.InvariantCulture), new() { Timeout = 90_000 });
        await Expect(shown).ToHaveCountAsync(Kept);
        await Expect(shown.First).ToHaveAttributeAsync("data-seq", (Sent - Kept + 1).ToString(CultureInfo.InvariantCulture));
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
    }

    [Fact]
    public async Task Only_the_latest_broadcasts_are_shown_and_each_can_be_dismissed()
    {
        await using var server = await StandaloneServer.StartAsync(StandaloneServer.DevAdminTokens);
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        var admin = await server.GetTokenAsync("operator", "admin");

        for (var i = 1; i <= 5; i++)
        {
            await server.PostAsync<BroadcastResponse>("/api/v1/gateway/broadcast", new BroadcastRequest { Content = $"notice {i}" }, admin);
        }

        await Expect(alice.Broadcasts.Locator(".broadcast-content")).ToHaveTextAsync(["notice 3", "notice 4", "notice 5"]);
        await alice.Broadcasts.Filter(new LocatorFilterOptions { HasText = "notice 4" }).GetByTitle("Dismiss").ClickAsync();
        await Expect(alice.Broadcasts.Locator(".broadcast-content")).ToHaveTextAsync(["notice 3", "notice 5"]);
    }

    private static Task<string> TokenAsync(ChatUser user) =>
        user.Page.EvaluateAsync<string>("() => sessionStorage.getItem('resonance.token')");

    private static async Task<int> RetryDelayAsync(ChatUser user) =>
        int.Parse(await user.ConnectionState.GetAttributeAsync("data-retry-delay-ms") ?? "-1", CultureInfo.InvariantCulture);

    [GeneratedRegex("/ws\\?")]
    private static partial Regex SocketPath();
}
