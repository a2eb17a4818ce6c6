using Resonance.Standalone;

await StandaloneHost.Create(args).RunAsync();
