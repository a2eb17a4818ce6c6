using System.ComponentModel.DataAnnotations;

namespace Resonance.Logic.Local;

/// <summary>Where the Local engine keeps sessions and messages. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the SQLite file <c>resonance.db</c>; created when missing. Default <c>data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for writes. <c>Full</c> (default) fsyncs every commit, so an
    /// acked message survives power loss; <c>Normal</c> survives a crash of the process only.
    /// </summary>
    [EnumDataType(typeof(SqliteSynchronous))]
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Most writes committed together in one transaction (group commit). Default 256.</summary>
    [Range(1, 10_000)]
    public int MaxWritesPerCommit { get; set; } = 256;

    public string DatabasePath => Path.Combine(DataDirectory, "resonance.db");
}
