using System.Security.Cryptography;

namespace Resonance.Standalone;

/// <summary>
/// The standalone host's token key when none is configured: made once and kept in the data
/// directory, so development tokens (and signed-in browser tabs) survive a restart.
/// </summary>
public static class DevSigningKey
{
    private const string FileName = "dev-signing-key";

    public static void ApplyTo(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        if (!string.IsNullOrEmpty(configuration["Auth:SigningKey"]) || !string.IsNullOrEmpty(configuration["Auth:Authority"])
            || !configuration.GetValue<bool>("Auth:EnableDevTokens"))
        {
            return;
        }

        var directory = configuration["Storage:DataDirectory"] ?? "data";
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        configuration["Auth:SigningKey"] = File.ReadAllText(path).Trim();
    }
}
