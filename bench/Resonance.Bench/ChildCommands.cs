using System.CommandLine;
using Resonance.Bench.Connections;
using Resonance.Bench.Servers;

namespace Resonance.Bench;

/// <summary>The hidden commands the bench starts itself with, in child processes: a server, a client worker.</summary>
internal static class ChildCommands
{
    public static Command Serve()
    {
        var system = new Option<string>("--system") { Required = true };
        system.AcceptOnlyFromAmong(ServedSystems.Names);
        var synchronous = new Option<string>("--synchronous") { DefaultValueFactory = _ => "Full" };
        var command = new Command("serve", "A server in a process of its own, driven over standard input and output.") { system, synchronous };
        command.Hidden = true;
        command.SetAction((parse, ct) => ServerChild.RunAsync(parse.GetValue(system)!, parse.GetValue(synchronous)!, ct));
        return command;
    }

    public static Command ConnectWorker()
    {
        var system = new Option<string>("--system") { Required = true };
        system.AcceptOnlyFromAmong(ServedSystems.Names);
        var url = new Option<string>("--url") { Required = true };
        var prefix = new Option<string>("--prefix") { Required = true };
        var from = new Option<int>("--from") { Required = true };
        var count = new Option<int>("--count") { Required = true };
        var command = new Command("connect-worker", "Client connections in a process of their own, driven over standard input and output.") { system, url, prefix, from, count };
        command.Hidden = true;
        command.SetAction((parse, ct) => Connections.ConnectWorker.RunAsync(
            parse.GetValue(system)!, new Uri(parse.GetValue(url)!), parse.GetValue(prefix)!, parse.GetValue(from), parse.GetValue(count), ct));
        return command;
    }
}
