using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Resonance.Contracts.V1;
using Resonance.Testing;
using static Microsoft.Playwright.Assertions;

namespace Resonance.Browser.Tests;

[Collection(SharedChromium.Name)]
public sealed class ChatPageTests(Chromium chromium)
{
    [Fact]
    public async Task Messages_typed_in_one_page_appear_in_the_other_in_order()
    {
        await using var server = await StandaloneServer.StartAsync();
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob");

        var sessionId = await alice.CreateSessionAsync("direct", "alice and bob", "bob");
        await alice.SendAsync("1 hi bob");
        await bob.OpenAsync(sessionId); // listed on its first push
        await Expect(bob.Messages).ToHaveTextAsync(["1 hi bob"]);

        await bob.SendAsync("2 hi alice");
        await Expect(alice.Messages).ToHaveTextAsync(["1 hi bob", "2 hi alice"]);
        await alice.SendAsync("3 how are you?");
        await alice.SendAsync("4 all good here");
        await alice.SendAsync("5 bye");

        string[] all = ["1 hi bob", "2 hi alice", "3 how are you?", "4 all good here", "5 bye"];
        await Expect(bob.Messages).ToHaveTextAsync(all);
        await Expect(alice.Messages).ToHaveTextAsync(all);
        await Expect(alice.PendingMessages).ToHaveCountAsync(0);
        await Expect(bob.Page.Locator("#messages > [data-testid=message]")).ToHaveCountAsync(5);
        Assert.Equal(["1", "2", "3", "4", "5"], await bob.Page.Locator("#messages > [data-testid=message]")
            .EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.seq)"));
    }

    [Fact]
    public async Task Page_works_under_its_content_security_policy_which_refuses_injected_scripts()
    {
        await using var server = await StandaloneServer.StartAsync();
        var refusals = new List<string>();
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice", page =>
        {
            // Chromium reports each refusal of the policy on the console.
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    lock (refusals)
                    {
                        refusals.Add(message.Text);
                    }
                }
            };
            return Task.CompletedTask;
        });
        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob");

        // REST (sign-in, sessions) and the socket (send, push) are this origin's, which the policy allows.
        var sessionId = await alice.CreateSessionAsync("direct", "alice and bob", "bob");
        await alice.SendAsync("under the policy");
        await bob.OpenAsync(sessionId);
        await Expect(bob.Messages).ToHaveTextAsync(["under the policy"]);
        await Expect(alice.Messages).ToHaveTextAsync(["under the policy"]);
        lock (refusals)
        {
            Assert.Empty(refusals);
        }

        // A script injected into the page, as through a markup bug, does not run.
        var ran = await alice.Page.EvaluateAsync<bool>("""
            () => new Promise(resolve => {
              document.addEventListener('securitypolicyviolation', () => resolve(window.injectedRan === true), { once: true });
              const script = document.createElement('script');
              script.textContent = 'window.injectedRan = true';
              // An inline script that may run runs as it is inserted.
              document.head.append(script);
              if (window.injectedRan === true) resolve(true);
            })
            """);

        Assert.False(ran);
    }

    [Fact]
    public async Task Page_reconnects_after_a_drop_and_shows_the_missed_messages_once_in_order()
    {
        var gate = new SocketGate();
        await using var server = await StandaloneServer.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IStartupFilter>(gate));
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob");
        var sessionId = await alice.CreateSessionAsync("group", "team", "bob");
        await alice.SendAsync("before the drop");
        await bob.OpenAsync(sessionId);
        await Expect(bob.Messages).ToHaveTextAsync(["before the drop"]);

        gate.Close();
        Assert.Equal(1, server.DropConnections("bob"));
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-state", "reconnecting");
        string[] missed = ["missed 1", "missed 2", "missed 3", "missed 4", "missed 5"];
        foreach (var content in missed)
        {
            await alice.SendAsync(content);
        }

        await Expect(alice.Messages).ToHaveTextAsync(["before the drop", .. missed]); // acked: stored
        await bob.SendAsync("sent while offline");
        await Expect(bob.PendingMessages).ToHaveAttributeAsync("data-state", "pending");
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(bob.Messages).ToHaveTextAsync(["before the drop"]);

        gate.Open();
        await Expect(bob.ConnectionState).ToHaveAttributeAsync("data-state", "connected");
        string[] stored = ["before the drop", .. missed, "sent while offline"];
        await Expect(bob.Messages).ToHaveTextAsync(stored);
        await Expect(bob.PendingMessages).ToHaveCountAsync(0);
        await Expect(alice.Messages).ToHaveTextAsync(stored);

        await alice.SendAsync("after the reconnect");
        await Expect(bob.Messages).ToHaveTextAsync([.. stored, "after the reconnect"]);
        await Expect(alice.Messages).ToHaveTextAsync([.. stored, "after the reconnect"]);
    }

    [Fact]
    public async Task Unread_count_rises_for_a_session_that_is_not_open()
    {
        await using var server = await StandaloneServer.StartAsync();
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob");
        var first = await alice.CreateSessionAsync("group", "first", "bob");
        var second = await alice.CreateSessionAsync("group", "second", "bob");
        await bob.RefreshSessionsAsync();
        await bob.OpenAsync(first);

        await alice.SendAsync("second 1"); // alice has "second" open
        await Expect(bob.UnreadCount(second)).ToHaveTextAsync("1");
        await alice.SendAsync("second 2");
        await Expect(bob.UnreadCount(second)).ToHaveTextAsync("2");
        await Expect(bob.UnreadCount(second)).ToBeVisibleAsync();

        await alice.OpenAsync(first);
        await alice.SendAsync("first 1");
        await Expect(bob.Messages).ToHaveTextAsync(["first 1"]);
        await Expect(bob.UnreadCount(first)).ToBeHiddenAsync();
        await Expect(bob.UnreadCount(second)).ToHaveTextAsync("2");

        await bob.OpenAsync(second);
        await Expect(bob.Messages).ToHaveTextAsync(["second 1", "second 2"]);
        await Expect(bob.UnreadCount(second)).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Broadcast_announcement_is_shown()
    {
        await using var server = await StandaloneServer.StartAsync(StandaloneServer.DevAdminTokens);
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");
        var admin = await server.GetTokenAsync("operator", "admin");

        var sent = await server.PostAsync<BroadcastResponse>("/api/v1/gateway/broadcast", new BroadcastRequest { Content = "maintenance at noon" }, admin);

        Assert.Equal(1, sent.Connections);
        await Expect(alice.Page.GetByTestId("broadcast")).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByTestId("broadcast").Locator(".broadcast-content")).ToHaveTextAsync("maintenance at noon");
        await Expect(alice.Page.GetByTestId("broadcast").Locator(".broadcast-from")).ToHaveTextAsync("operator");
    }

    [Fact]
    public async Task A_rejected_request_is_shown_as_an_error()
    {
        await using var server = await StandaloneServer.StartAsync();
        await using var alice = await ChatUser.SignInAsync(chromium.Browser, server, "alice");

        await alice.Page.Locator("#new-session-kind").SelectOptionAsync("direct");
        await alice.Page.Locator("#new-session-members").FillAsync("bob, carol");
        await alice.Page.Locator("#create-session").ClickAsync();

        await Expect(alice.Errors).ToHaveTextAsync(["a direct session has exactly one member besides the caller"]);
    }

    [Fact]
    public async Task Older_messages_load_on_request_in_order_without_the_view_jumping()
    {
        const int Sent = 230;
        const int Batch = 46;
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var sessionId = await server.CreateSessionAsync(aliceToken, "group", "bob");
        await using (var alice = await TestSocket.ConnectAsync(server, aliceToken))
        {
            for (var batch = 0; batch < Sent / Batch; batch++)
            {
                for (var i = 1; i <= Batch; i++)
                {
                    await alice.SendMessageAsync(sessionId, $"m{(batch * Batch) + i}");
                }

                await alice.ReceivePushesAsync(Batch);
            }
        }

        await using var bob = await ChatUser.SignInAsync(chromium.Browser, server, "bob");
        await bob.OpenAsync(sessionId);
        var shown = bob.Page.Locator("#messages > [data-testid=message]");
        var loadOlder = bob.Page.GetByTestId("load-older");
        await Expect(shown).ToHaveCountAsync(100);
        await Expect(shown.First).ToHaveAttributeAsync("data-seq", "131");
        await Expect(bob.Messages.Last).ToHaveTextAsync("m230");

        await loadOlder.ClickAsync(); // scrolls the button, and seq 131 below it, into view
        await Expect(shown).ToHaveCountAsync(200);
        await Expect(shown.First).ToHaveAttributeAsync("data-seq", "31");
        // The messages went in above: what was on screen stays there.
        await Expect(bob.Page.Locator("#messages > [data-seq='131']")).ToBeInViewportAsync();
        await Expect(bob.Page.Locator("#messages > [data-seq='31']")).Not.ToBeInViewportAsync();

        await loadOlder.ClickAsync();
        await Expect(shown).ToHaveCountAsync(Sent);
        await Expect(loadOlder).ToHaveCountAsync(0);
        await Expect(bob.Messages.First).ToHaveTextAsync("m1");
        await Expect(bob.Messages.Last).ToHaveTextAsync("m230");
        var expected = Enumerable.Range(1, Sent).Select(i => $"m{i}").ToArray();
        Assert.Equal(expected, await bob.Messages.AllTextContentsAsync());
        Assert.Equal(
            Enumerable.Range(1, Sent).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await shown.EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.seq)"));
        await Expect(bob.UnreadCount(sessionId)).ToBeHiddenAsync();
    }
}
