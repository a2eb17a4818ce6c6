namespace Resonance.Logic.Local;

internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            members_version INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS members (
            session_id TEXT NOT NULL,
            username TEXT NOT NULL,
            PRIMARY KEY (session_id, username)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS members_by_user ON members (username, session_id);
        CREATE TABLE IF NOT EXISTS messages (
            session_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            msg_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            client_msg_id TEXT NOT NULL,
            content TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client_msg_id ON messages (session_id, sender, client_msg_id);
        """;
}
