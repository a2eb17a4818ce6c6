using Resonance.TaskService.Dispatch;
using Resonance.Testing;

namespace Resonance.TaskService.Tests;

public sealed class PushDeliveryTests
{
    [Fact]
    public async Task Recipients_are_grouped_into_one_batch_per_gateway_with_the_message_once()
    {
        await using var harness = new TaskHarness();
        harness.Members.Set("s1", 1, "alice", "bob", "carol", "dave", "erin");
        harness.Routes.Set("alice", "gw-1");
        harness.Routes.Set("bob", "gw-1", "gw-2");
        harness.Routes.Set("carol", "gw-2");
        harness.Routes.Set("dave", "gw-3");

        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 1), CancellationToken.None);

        var calls = harness.Gateways.Calls.ToDictionary(c => c.GatewayId, c => c.Batch);
        Assert.Equal(["gw-1", "gw-2", "gw-3"], calls.Keys.Order());
        Assert.Equal(["alice", "bob"], calls["gw-1"].Recipients.Order());
        Assert.Equal(["bob", "carol"], calls["gw-2"].Recipients.Order());
        Assert.Equal(["dave"], calls["gw-3"].Recipients);
        Assert.All(calls.Values, b => Assert.Equal("s1-1", b.Message.MsgId));
        Assert.Equal(3, harness.Stats.BatchesSent);
        Assert.Equal(1, harness.Stats.RecipientsOffline);
        Assert.Equal(5, harness.Stats.RecipientsDelivered);
    }

    [Fact]
    public async Task A_thousand_member_group_costs_one_call_per_gateway()
    {
        await using var harness = new TaskHarness();
        var members = Enumerable.Range(0, 1000).Select(i => $"u{i}").ToArray();
        harness.Members.Set("big", 1, members);
        foreach (var (member, i) in members.Select((m, i) => (m, i)))
        {
            harness.Routes.Set(member, $"gw-{i % 4}");
        }

        await harness.Delivery.DeliverAsync(TaskHarness.Event("big", 1), CancellationToken.None);

        Assert.Equal(4, harness.Gateways.Calls.Count);
        Assert.Equal(members.Order(), harness.Gateways.Calls.SelectMany(c => c.Batch.Recipients).Order());
    }

    [Fact]
    public async Task Gateways_are_called_in_parallel_not_one_after_another()
    {
        await using var harness = new TaskHarness();
        harness.Members.Set("s1", 1, "a", "b", "c");
        harness.Routes.Set("a", "gw-1");
        harness.Routes.Set("b", "gw-2");
        harness.Routes.Set("c", "gw-3");
        var allCalled = new TaskCompletionSource();
        var inFlight = 0;
        harness.Gateways.BeforeReply = async _ =>
        {
            if (Interlocked.Increment(ref inFlight) == 3)
            {
                allCalled.SetResult();
            }

            // Each gateway answers only once all three are being called at the same time.
            await allCalled.Task;
        };

        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, harness.Gateways.Calls.Count);
    }

    [Fact]
    public async Task Failed_recipients_are_retried_after_the_interval_up_to_max_retry_then_given_up()
    {
        await using var harness = new TaskHarness(new TaskOptions { MaxRetry = 3, RetryInterval = TimeSpan.FromSeconds(5) });
        harness.Members.Set("s1", 1, "alice", "bob");
        harness.Routes.Set("alice", "gw-1");
        harness.Routes.Set("bob", "gw-1");
        harness.Gateways.Fail("gw-1", "bob");

        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 1), CancellationToken.None);
        Assert.Single(harness.Gateways.Calls);
        for (var retry = 1; retry <= 3; retry++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(4.9));
            Assert.Equal(retry, harness.Gateways.Calls.Count);
            harness.Time.Advance(TimeSpan.FromSeconds(0.1));
            await Eventually.TrueAsync(() => harness.Gateways.Calls.Count == retry + 1, $"retry {retry} is sent");
            Assert.Equal(["bob"], harness.Gateways.Calls.Last().Batch.Recipients);
        }

        await Eventually.TrueAsync(() => harness.Stats.RecipientsGivenUp == 1, "bob is given up");
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, harness.Gateways.Calls.Count);
        Assert.Equal(3, harness.Stats.Retries);
    }

    [Fact]
    public async Task A_retry_goes_only_where_the_user_is_still_routed()
    {
        await using var harness = new TaskHarness(new TaskOptions { MaxRetry = 3, RetryInterval = TimeSpan.FromSeconds(1) });
        harness.Members.Set("s1", 1, "alice", "bob");
        harness.Routes.Set("alice", "gw-1");
        harness.Routes.Set("bob", "gw-2");
        harness.Gateways.DownGateways.Add("gw-2");

        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 1), CancellationToken.None);
        harness.Routes.Set("bob");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => harness.Stats.Retries == 1, "the retry round ran");

        Assert.Equal(2, harness.Gateways.Calls.Count);
        Assert.Equal(0, harness.Stats.RecipientsGivenUp);
    }

    [Fact]
    public async Task Members_are_fetched_again_only_when_the_event_names_a_newer_version()
    {
        await using var harness = new TaskHarness();
        harness.Members.Set("s1", 1, "alice");
        harness.Routes.Set("alice", "gw-1");
        harness.Routes.Set("bob", "gw-1");

        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 1, membersVersion: 1), CancellationToken.None);
        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 2, membersVersion: 1), CancellationToken.None);
        harness.Members.Set("s1", 2, "alice", "bob");
        await harness.Delivery.DeliverAsync(TaskHarness.Event("s1", 3, membersVersion: 2), CancellationToken.None);

        Assert.Equal(2, harness.Members.Fetches);
        Assert.Equal(["alice", "bob"], harness.Gateways.Calls.Last().Batch.Recipients.Order());
    }

    [Fact]
    public async Task The_member_cache_starts_over_past_its_limit_and_still_delivers()
    {
        await using var harness = new TaskHarness(new TaskOptions { MaxCachedSessions = 3 });
        harness.Routes.Set("alice", "gw-1");
        for (var s = 0; s < 10; s++)
        {
            harness.Members.Set($"s{s}", 1, "alice");
            await harness.Delivery.DeliverAsync(TaskHarness.Event($"s{s}", 1), CancellationToken.None);
        }

        await harness.Delivery.DeliverAsync(TaskHarness.Event("s0", 2), CancellationToken.None);

        Assert.Equal(11, harness.Gateways.Calls.Count);
        Assert.Equal(11, harness.Members.Fetches);
    }
}
