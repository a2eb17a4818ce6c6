using System.Text;
using CsCheck;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Limits;
using Resonance.Testing;

namespace Resonance.Gateway.Tests;

/// <summary>
/// Random and mutated client frames, in both encodings: decoding never throws, and every frame gets
/// exactly one answer, either the one its command gets or a <c>bad_packet</c> error.
/// </summary>
public sealed class PacketFuzzTests
{
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[0, 40],
        Gen.String.AlphaNumeric,
        Gen.Const(string.Empty));

    private static readonly Gen<WsPacket> AnyPacket = Gen.OneOf(
        Gen.Select(Text, Text, Text, (id, session, content) => new WsPacket { Send = new SendCommand { ClientMsgId = id, SessionId = session, Content = content } }),
        Gen.Select(Text, Gen.Long, Gen.Int, Text, (session, after, limit, request) => new WsPacket { Sync = new SyncCommand { SessionId = session, AfterSeq = after, Limit = limit, RequestId = request } }),
        Gen.Const(() => new WsPacket { Ping = new Ping() }),
        Gen.Const(() => new WsPacket()),
        Gen.Select(Text, Gen.Long, (session, seq) => new WsPacket { Ack = new SendAck { SessionId = session, Seq = seq } }),
        Gen.Select(Text, Text, (session, content) => new WsPacket { Push = new Push { SessionId = session, Content = content } }),
        Gen.Select(Text, Text, (code, message) => new WsPacket { Error = new Error { Code = code, Message = message } }));

    /// <summary>One change to a frame's bytes: flip a bit, overwrite, insert or delete a byte, cut the end, repeat a slice.</summary>
    private static readonly Gen<Func<byte[], byte[]>> Mutation = Gen.OneOf<Func<byte[], byte[]>>(
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 7], (at, bit) => (Func<byte[], byte[]>)(bytes => Edit(bytes, at, (b, i) => b[i] ^= (byte)(1 << bit)))),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (at, value) => (Func<byte[], byte[]>)(bytes => Edit(bytes, at, (b, i) => b[i] = value))),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (at, value) => (Func<byte[], byte[]>)(bytes => [.. bytes[..Clamp(at, bytes.Length + 1)], value, .. bytes[Clamp(at, bytes.Length + 1)..]])),
        Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(bytes => bytes.Length == 0 ? bytes : [.. bytes[..Clamp(at, bytes.Length)], .. bytes[(Clamp(at, bytes.Length) + 1)..]])),
        Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(bytes => bytes[..Clamp(at, bytes.Length + 1)])),
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 16], (at, length) => (Func<byte[], byte[]>)(bytes =>
        {
            var start = Clamp(at, bytes.Length + 1);
            var slice = bytes[start..Math.Min(bytes.Length, start + length)];
            return [.. bytes[..start], .. slice, .. slice, .. bytes[start..]];
        })));

    /// <summary>Characters that mean something in JSON, to splice into JSON frames.</summary>
    private static readonly Gen<byte[]> JsonFragment = Gen.OneOf(
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "null", "true", "-", "1e999", "9223372036854775808", "\"send\":", "\"sync\":{}", "\"ping\":{}", "\"afterSeq\":\"x\"", "\0")
        .Select(Encoding.UTF8.GetBytes);

    [Fact]
    public void Random_bytes_never_throw_out_of_the_decoder_in_either_encoding()
    {
        var cases = Fuzz.Run(nameof(Random_bytes_never_throw_out_of_the_decoder_in_either_encoding),
            Gen.Select(Gen.Byte.Array[0, 300], Gen.Bool), frame => AssertDecodesOrNamesWhy(frame.Item1, frame.Item2 ? FrameEncoding.Json : FrameEncoding.Protobuf), 3000);

        Assert.Equal(3000, cases);
    }

    [Fact]
    public void Mutated_protobuf_frames_never_throw_out_of_the_decoder()
    {
        var frames = Gen.Select(AnyPacket, Mutation.Array[1, 6], (packet, mutations) => Apply(packet.ToByteArray(), mutations));

        Fuzz.Run(nameof(Mutated_protobuf_frames_never_throw_out_of_the_decoder), frames, frame => AssertDecodesOrNamesWhy(frame, FrameEncoding.Protobuf), 3000);
    }

    [Fact]
    public void Mutated_json_frames_never_throw_out_of_the_decoder()
    {
        Fuzz.Run(nameof(Mutated_json_frames_never_throw_out_of_the_decoder), MutatedJson, frame => AssertDecodesOrNamesWhy(frame, FrameEncoding.Json), 3000);
    }

    [Theory]
    [InlineData(FrameEncoding.Protobuf)]
    [InlineData(FrameEncoding.Json)]
    public async Task Every_random_or_mutated_frame_gets_its_commands_answer_or_bad_packet(FrameEncoding encoding)
    {
        var harness = new GatewayHarness();
        using var limits = new SendRateLimiter(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { ConnectionSendRate = 0, UserSendRate = 0 }));
        var handler = new PacketHandler(new AnsweringLogic(), limits, harness.Counters, Microsoft.Extensions.Options.Options.Create(new GatewayOptions()), TimeProvider.System, NullLogger<PacketHandler>.Instance);
        var connection = harness.Connect("alice", encoding);
        var valid = AnyPacket.Select(packet => PacketCodec.Encode(packet, encoding));
        var frames = Gen.OneOf(
            Gen.Byte.Array[0, 200],
            valid,
            encoding == FrameEncoding.Json ? MutatedJson : Gen.Select(AnyPacket, Mutation.Array[1, 4], (packet, mutations) => Apply(packet.ToByteArray(), mutations)));
        var answered = new Dictionary<WsPacket.BodyOneofCase, int>();

        var cases = await Fuzz.RunAsync($"{nameof(Every_random_or_mutated_frame_gets_its_commands_answer_or_bad_packet)}-{encoding}", frames, async frame =>
        {
            await handler.HandleAsync(connection, frame);

            var reply = Assert.Single(GatewayHarness.Drain(connection));
            var answer = encoding == FrameEncoding.Protobuf
                ? WsPacket.Parser.ParseFrom(reply.Span)
                : ProtobufJson.Parser.Parse<WsPacket>(Encoding.UTF8.GetString(reply.Span));
            var expected = PacketCodec.TryDecode(frame, encoding, out _)?.BodyCase switch
            {
                WsPacket.BodyOneofCase.Ping => WsPacket.BodyOneofCase.Pong,
                WsPacket.BodyOneofCase.Send => WsPacket.BodyOneofCase.Ack,
                WsPacket.BodyOneofCase.Sync => WsPacket.BodyOneofCase.SyncResult,
                _ => WsPacket.BodyOneofCase.Error,
            };
            Assert.Equal(expected, answer.BodyCase);
            if (expected == WsPacket.BodyOneofCase.Error)
            {
                Assert.Equal(ErrorCodes.BadPacket, answer.Error.Code);
            }

            answered[answer.BodyCase] = answered.GetValueOrDefault(answer.BodyCase) + 1;
        }, 1500);

        Assert.Equal(1500, cases);
        // The cases reach every kind of answer, not only the errors.
        Assert.All([WsPacket.BodyOneofCase.Pong, WsPacket.BodyOneofCase.Ack, WsPacket.BodyOneofCase.SyncResult, WsPacket.BodyOneofCase.Error],
            body => Assert.True(answered.GetValueOrDefault(body) > 0, $"no {body} among {string.Join(", ", answered)}"));
    }

    private static Gen<byte[]> MutatedJson => Gen.Select(
        AnyPacket,
        Gen.OneOf(Mutation, Gen.Select(Gen.Int[0, int.MaxValue], JsonFragment, (at, fragment) => (Func<byte[], byte[]>)(bytes =>
        {
            var start = Clamp(at, bytes.Length + 1);
            return [.. bytes[..start], .. fragment, .. bytes[start..]];
        }))).Array[1, 6],
        (packet, mutations) => Apply(PacketCodec.Encode(packet, FrameEncoding.Json), mutations));

    private static void AssertDecodesOrNamesWhy(byte[] frame, FrameEncoding encoding)
    {
        var packet = PacketCodec.TryDecode(frame, encoding, out var error);

        Assert.True(packet is null != (error is null), $"packet {packet}, error {error}");
    }

    private static byte[] Apply(byte[] frame, Func<byte[], byte[]>[] mutations) =>
        mutations.Aggregate(frame, (bytes, mutate) => mutate(bytes));

    private static byte[] Edit(byte[] bytes, int at, Action<byte[], int> edit)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = bytes.ToArray();
        edit(copy, at % copy.Length);
        return copy;
    }

    private static int Clamp(int at, int length) => length == 0 ? 0 : at % length;
}
