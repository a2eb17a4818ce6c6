using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Tests;

public sealed class MembershipTests
{
    [Fact]
    public async Task A_non_member_can_neither_send_nor_sync_nor_add_members()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        await harness.SendAsync("alice", session, "c1");

        var send = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync("mallory", session, "c1"));
        var sync = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("mallory", session));
        var add = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync("mallory", session, "mallory"));

        Assert.All([send, sync, add], e => Assert.Equal(ErrorCodes.SessionNotFound, e.Code));
        var members = await harness.GetMembersAsync(session);
        Assert.Equal((1L, "alice bob"), (members.Version, string.Join(' ', members.Members)));
        Assert.Equal(1, (await harness.SyncAsync("alice", session)).LastSeq);
        Assert.Single(harness.Publisher.Events);
    }

    [Fact]
    public async Task Commands_on_an_unknown_session_fail_with_session_not_found()
    {
        await using var harness = new LogicHarness();
        var unknown = SessionIds.NewGroup();

        var send = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync("alice", unknown, "c1"));
        var sync = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("alice", unknown));
        var add = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync("alice", unknown, "bob"));
        var members = await Assert.ThrowsAsync<ResonanceException>(() => harness.GetMembersAsync(unknown));

        Assert.All([send, sync, add, members], e => Assert.Equal(ErrorCodes.SessionNotFound, e.Code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("g_ünïcode")]
    [InlineData("../etc")]
    public async Task Commands_on_an_invalid_session_id_fail_with_invalid_argument(string sessionId)
    {
        await using var harness = new LogicHarness();

        var send = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync("alice", sessionId, "c1"));
        var sync = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("alice", sessionId));
        var add = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync("alice", sessionId, "bob"));

        Assert.All([send, sync, add], e => Assert.Equal(ErrorCodes.InvalidArgument, e.Code));
    }

    [Fact]
    public async Task A_session_id_of_65_characters_is_invalid()
    {
        await using var harness = new LogicHarness();

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("alice", new string('a', 65)));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task A_direct_session_not_found_before_it_is_created_is_found_afterwards()
    {
        await using var harness = new LogicHarness();
        var id = SessionIds.ForDirect("alice", "bob");
        var before = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("alice", id));

        var created = await harness.CreateDirectAsync("alice", "bob");
        var after = await harness.SyncAsync("alice", created);

        Assert.Equal(ErrorCodes.SessionNotFound, before.Code);
        Assert.Equal((id, 0L), (after.SessionId, after.LastSeq));
    }

    [Fact]
    public async Task Both_people_of_a_direct_session_get_the_same_session_whoever_creates_it()
    {
        await using var harness = new LogicHarness();

        var byAlice = await harness.CreateDirectAsync("alice", "bob");
        await harness.SendAsync("alice", byAlice, "c1");
        var byBob = await harness.CreateDirectAsync("bob", "alice");
        var again = await harness.CreateDirectAsync("alice", "bob");

        Assert.Equal(byAlice, byBob);
        Assert.Equal(byAlice, again);
        Assert.Equal(SessionIds.ForDirect("bob", "alice"), byAlice);
        Assert.NotEqual(byAlice, await harness.CreateDirectAsync("alice", "carol"));
        var members = await harness.GetMembersAsync(byAlice);
        Assert.Equal((1L, "alice bob"), (members.Version, string.Join(' ', members.Members)));
        Assert.Equal(1, (await harness.SyncAsync("bob", byAlice)).LastSeq);
        Assert.Equal(2, (await harness.ListAsync("alice")).Sessions.Count);
    }

    [Theory]
    [InlineData]
    [InlineData("alice")]
    [InlineData("bob", "carol")]
    [InlineData("alice", "bob", "carol")]
    public async Task A_direct_session_needs_exactly_one_member_besides_the_creator(params string[] members)
    {
        await using var harness = new LogicHarness();
        var request = new CreateSessionRequest { Kind = SessionKinds.Direct, Members = { members } };

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.Service.CreateSessionAsync("alice", request, CancellationToken.None));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Empty((await harness.ListAsync("alice")).Sessions);
    }

    [Fact]
    public async Task Naming_the_peer_twice_still_makes_a_direct_session()
    {
        await using var harness = new LogicHarness();
        var request = new CreateSessionRequest { Kind = SessionKinds.Direct, Members = { "bob", "bob", "alice" } };

        var created = await harness.Service.CreateSessionAsync("alice", request, CancellationToken.None);

        Assert.Equal(SessionIds.ForDirect("alice", "bob"), created.SessionId);
    }

    [Fact]
    public async Task A_direct_sessions_members_cannot_change()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateDirectAsync("alice", "bob");

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync("alice", session, "carol"));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        var members = await harness.GetMembersAsync(session);
        Assert.Equal((1L, "alice bob"), (members.Version, string.Join(' ', members.Members)));
    }

    [Fact]
    public async Task A_stranger_cannot_send_into_someone_elses_direct_session()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateDirectAsync("alice", "bob");

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync("carol", session, "c1"));

        Assert.Equal(ErrorCodes.SessionNotFound, error.Code);
    }

    [Fact]
    public async Task A_groups_members_are_deduplicated_and_always_include_the_creator()
    {
        await using var harness = new LogicHarness();

        var withRepeats = await harness.CreateGroupAsync("alice", "carol", "bob", "carol", "alice");
        var alone = await harness.CreateGroupAsync("alice");

        var members = await harness.GetMembersAsync(withRepeats);
        Assert.Equal((1L, "alice bob carol"), (members.Version, string.Join(' ', members.Members)));
        Assert.Equal(["alice"], (await harness.GetMembersAsync(alone)).Members);
        Assert.NotEqual(withRepeats, alone);
        Assert.StartsWith("g_", withRepeats, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    [InlineData(".leading-dot")]
    [InlineData("semi;colon")]
    public async Task A_group_with_an_invalid_username_is_not_created(string invalid)
    {
        await using var harness = new LogicHarness();

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.CreateGroupAsync("alice", "bob", invalid));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Empty((await harness.ListAsync("alice")).Sessions);
    }

    [Fact]
    public async Task Usernames_of_64_characters_are_accepted_and_of_65_are_rejected()
    {
        await using var harness = new LogicHarness();

        var session = await harness.CreateGroupAsync("alice", new string('b', 64));
        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.CreateGroupAsync("alice", new string('b', 65)));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(["alice", new string('b', 64)], (await harness.GetMembersAsync(session)).Members);
    }

    [Fact]
    public async Task A_session_kind_other_than_group_or_direct_is_rejected()
    {
        await using var harness = new LogicHarness();
        var request = new CreateSessionRequest { Kind = "channel", Members = { "bob" } };

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.Service.CreateSessionAsync("alice", request, CancellationToken.None));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task A_name_over_128_characters_is_rejected()
    {
        await using var harness = new LogicHarness();
        var tooLong = new CreateSessionRequest { Kind = SessionKinds.Group, Name = new string('n', 129) };
        var longest = new CreateSessionRequest { Kind = SessionKinds.Group, Name = new string('n', 128) };

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.Service.CreateSessionAsync("alice", tooLong, CancellationToken.None));
        await harness.Service.CreateSessionAsync("alice", longest, CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(new string('n', 128), Assert.Single((await harness.ListAsync("alice")).Sessions).Name);
    }

    [Fact]
    public async Task A_group_may_be_created_with_max_members_counting_the_creator_but_not_more()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxMembers = 3 });

        var full = await harness.CreateGroupAsync("alice", "bob", "carol");
        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.CreateGroupAsync("alice", "bob", "carol", "dave"));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(3, (await harness.GetMembersAsync(full)).Members.Count);
        Assert.Single((await harness.ListAsync("alice")).Sessions);
    }

    [Fact]
    public async Task Adding_members_past_max_members_adds_none_of_them()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxMembers = 3 });
        var session = await harness.CreateGroupAsync("alice", "bob");

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync("alice", session, "carol", "dave"));
        var toFull = await harness.AddMembersAsync("bob", session, "carol", "alice");

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(["alice", "bob", "carol"], toFull.Members);
        var members = await harness.GetMembersAsync(session);
        Assert.Equal((2L, "alice bob carol"), (members.Version, string.Join(' ', members.Members)));
    }

    [Fact]
    public async Task Adding_members_bumps_the_members_version_and_later_push_events_carry_it()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        await harness.SendAsync("alice", session, "c1");

        var response = await harness.AddMembersAsync("bob", session, "dave", "carol", "dave");
        await harness.SendAsync("carol", session, "c2");

        Assert.Equal((session, "alice bob carol dave"), (response.SessionId, string.Join(' ', response.Members)));
        var members = await harness.GetMembersAsync(session);
        Assert.Equal((session, 2L, "alice bob carol dave"), (members.SessionId, members.Version, string.Join(' ', members.Members)));
        Assert.Equal([(1L, 1L), (2L, 2L)], harness.Publisher.Events.Select(e => (e.Message.Seq, e.MembersVersion)));
        Assert.Equal(2, (await harness.SyncAsync("dave", session)).Messages.Count);
    }

    [Fact]
    public async Task Adding_only_existing_members_changes_nothing()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");

        var response = await harness.AddMembersAsync("alice", session, "bob", "alice");

        Assert.Equal(["alice", "bob"], response.Members);
        Assert.Equal(1, (await harness.GetMembersAsync(session)).Version);
    }

    [Fact]
    public async Task Adding_an_invalid_username_adds_nobody()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice");

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync("alice", session, "bob", "not valid"));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        var members = await harness.GetMembersAsync(session);
        Assert.Equal((1L, "alice"), (members.Version, string.Join(' ', members.Members)));
    }

    [Fact]
    public async Task Added_members_and_their_version_survive_a_restart()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice");
        await harness.AddMembersAsync("alice", session, "bob");
        await harness.AddMembersAsync("bob", session, "carol");

        await harness.RestartAsync();
        await harness.SendAsync("carol", session, "c1");

        var members = await harness.GetMembersAsync(session);
        Assert.Equal((3L, "alice bob carol"), (members.Version, string.Join(' ', members.Members)));
        Assert.Equal(3, Assert.Single(harness.Publisher.Events).MembersVersion);
    }
}
