using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Logic.Tests;

public sealed class ListSessionsTests
{
    [Fact]
    public async Task A_user_sees_only_their_own_sessions_with_members_and_last_seq()
    {
        await using var harness = new LogicHarness();
        var group = await harness.CreateGroupAsync("alice", "bob");
        var direct = await harness.CreateDirectAsync("carol", "alice");
        var notAlices = await harness.CreateGroupAsync("bob", "carol");
        await harness.SendAsync("alice", group, "c1");
        await harness.SendAsync("bob", group, "c2");
        await harness.SendAsync("carol", direct, "c1");
        await harness.SendAsync("bob", notAlices, "c1");

        var sessions = (await harness.ListAsync("alice")).Sessions;

        // Ordered by id: direct ids start with d_, group ids with g_.
        SessionSummary[] expected =
        [
            new() { SessionId = direct, Kind = SessionKinds.Direct, Name = "", Members = { "alice", "carol" }, LastSeq = 1 },
            new() { SessionId = group, Kind = SessionKinds.Group, Name = "team", Members = { "alice", "bob" }, LastSeq = 2 },
        ];
        Assert.Equal(expected, sessions);
    }

    [Fact]
    public async Task A_user_added_to_a_group_sees_it_listed()
    {
        await using var harness = new LogicHarness();
        var group = await harness.CreateGroupAsync("alice", "bob");
        Assert.Empty((await harness.ListAsync("carol")).Sessions);

        await harness.AddMembersAsync("alice", group, "carol");

        var listed = Assert.Single((await harness.ListAsync("carol")).Sessions);
        Assert.Equal((group, "alice bob carol"), (listed.SessionId, string.Join(' ', listed.Members)));
    }

    [Fact]
    public async Task A_user_in_no_session_gets_an_empty_list()
    {
        await using var harness = new LogicHarness();
        await harness.CreateGroupAsync("alice", "bob");

        Assert.Empty((await harness.ListAsync("nobody")).Sessions);
    }

    [Fact]
    public async Task Listing_while_the_user_is_added_to_new_sessions_always_succeeds()
    {
        await using var harness = new LogicHarness();
        var creating = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await harness.CreateGroupAsync("bob", "alice");
            }
        });

        var counts = new List<int>();
        while (!creating.IsCompleted)
        {
            counts.Add((await harness.ListAsync("alice")).Sessions.Count);
        }

        await creating;
        Assert.Equal(100, (await harness.ListAsync("alice")).Sessions.Count);
        Assert.Equal(counts.Order(), counts);
    }

    [Fact]
    public async Task Sessions_are_listed_in_pages_that_follow_each_other_without_gaps_or_repeats()
    {
        await using var harness = new LogicHarness(new LogicOptions { DefaultPageSize = 3, MaxPageSize = 4 });
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await harness.CreateGroupAsync("alice", "bob"));
        }

        var first = await harness.ListAsync("alice");
        var second = await harness.ListAsync("alice", first.Sessions[^1].SessionId, limit: 100);
        var third = await harness.ListAsync("bob", second.Sessions[^1].SessionId);

        Assert.Equal((3, true), (first.Sessions.Count, first.HasMore));
        Assert.Equal((4, false), (second.Sessions.Count, second.HasMore));
        Assert.Equal((0, false), (third.Sessions.Count, third.HasMore));
        Assert.Equal(created.Order(StringComparer.Ordinal), first.Sessions.Concat(second.Sessions).Select(s => s.SessionId));
    }

    [Theory]
    [InlineData("not a session id!", 0)]
    [InlineData("", -1)]
    public async Task A_bad_page_request_is_refused_as_invalid(string after, int limit)
    {
        await using var harness = new LogicHarness();

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.ListAsync("alice", after, limit));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }
}
