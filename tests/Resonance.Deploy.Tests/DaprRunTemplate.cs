using System.Text.Json.Nodes;

namespace Resonance.Deploy.Tests;

/// <summary>
/// <c>dapr.yaml</c> read as dapr/cli reads a run template (pkg/runfileconfig/run_file_config.go and the yaml
/// tags of RunConfig and SharedRunConfig in pkg/standalone/run.go): an app's settings fall back to
/// <c>common</c>, its <c>env</c> is merged over <c>common.env</c>, paths are relative to the file.
/// </summary>
internal sealed class DaprRunTemplate
{
    /// <summary>Keys of RunConfig, SharedRunConfig, ContainerConfiguration and App (dapr/cli); anything else is ignored silently.</summary>
    public static readonly IReadOnlySet<string> AppKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "appID", "appChannelAddress", "appPort", "daprHTTPPort", "daprGRPCPort", "profilePort", "command", "metricsPort",
        "unixDomainSocket", "daprInternalGRPCPort", "appDirPath", "containerImage", "containerImagePullPolicy", "createService",
        "configFilePath", "appProtocol", "apiListenAddresses", "enableProfiling", "logLevel", "appMaxConcurrency",
        "placementHostAddress", "resourcesPaths", "appSSL", "maxBodySize", "readBufferSize", "enableAppHealthCheck",
        "appHealthCheckPath", "appHealthProbeInterval", "appHealthProbeTimeout", "appHealthThreshold", "enableApiLogging",
        "runtimePath", "env", "daprdLogDestination", "appLogDestination", "schedulerHostAddress",
    };

    /// <summary>What <c>common</c> may hold: SharedRunConfig only.</summary>
    public static readonly IReadOnlySet<string> CommonKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "configFilePath", "appProtocol", "apiListenAddresses", "enableProfiling", "logLevel", "appMaxConcurrency",
        "placementHostAddress", "resourcesPaths", "appSSL", "maxBodySize", "readBufferSize", "enableAppHealthCheck",
        "appHealthCheckPath", "appHealthProbeInterval", "appHealthProbeTimeout", "appHealthThreshold", "enableApiLogging",
        "runtimePath", "env", "daprdLogDestination", "appLogDestination", "schedulerHostAddress",
    };

    public static readonly IReadOnlySet<string> TopKeys = new HashSet<string>(StringComparer.Ordinal) { "version", "name", "common", "apps" };

    private DaprRunTemplate(string path, JsonObject document)
    {
        Path = path;
        Document = document;
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var common = document.At("common") as JsonObject;
        Apps = [.. document.Objects("apps").Select(app => new RunApp(app, common, directory))];
    }

    public string Path { get; }

    public JsonObject Document { get; }

    public IReadOnlyList<RunApp> Apps { get; }

    public static DaprRunTemplate Load() => new(Repository.PathOf("dapr.yaml"), Yaml.SingleDocument(Repository.PathOf("dapr.yaml")));

    public RunApp App(string appId) => Assert.Single(Apps, a => a.AppId == appId);
}

/// <summary>One app of the run template, with <c>common</c> applied.</summary>
internal sealed class RunApp(JsonObject app, JsonObject? common, string templateDirectory)
{
    public JsonObject Raw => app;

    public string AppId => Setting("appID") ?? throw new InvalidOperationException("an app without appID");

    public string AppDirectory => Path.GetFullPath(Path.Combine(templateDirectory, Setting("appDirPath")!));

    public int AppPort => int.Parse(Setting("appPort")!, System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<string> Command => [.. app.Strings("command")];

    /// <summary>The app's resource folders (its own, else common's), as full paths.</summary>
    public IReadOnlyList<string> ResourcesPaths =>
        [.. (app.At("resourcesPaths") is null ? common.Strings("resourcesPaths") : app.Strings("resourcesPaths")).Select(p => Path.GetFullPath(Path.Combine(templateDirectory, p)))];

    public string? ConfigFile => Setting("configFilePath") is { } file ? Path.GetFullPath(Path.Combine(templateDirectory, file)) : null;

    /// <summary>The template's env for this app: common's, then the app's over it (dapr/cli mergeCommonAndAppsEnv).</summary>
    public IReadOnlyDictionary<string, string> Env
    {
        get
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var source in new[] { common?.At("env"), app.At("env") })
            {
                foreach (var key in source.Keys())
                {
                    env[key] = source.Str(key)!;
                }
            }

            return env;
        }
    }

    /// <summary>A setting of the app, or of common where the app leaves it empty.</summary>
    public string? Setting(string key) => app.Str(key) ?? common.Str(key);

    /// <summary>The value of a <c>--Key=value</c> argument of the command, if any.</summary>
    public string? Argument(string key) =>
        Command.Where(a => a.StartsWith($"--{key}=", StringComparison.Ordinal)).Select(a => a[(key.Length + 3)..]).SingleOrDefault();
}
