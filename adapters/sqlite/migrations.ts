import type { Database } from 'better-sqlite3';

/**
 * Versioned schema changes, applied in order at start-up. `PRAGMA user_version` records the
 * last one applied. Never edit a migration that has shipped: add a new one.
 *
 * Documents are stored as JSON in `doc` columns; the few fields queries need (channel, key,
 * owner, ...) are copied into columns of their own so they can be indexed.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'conversations, messages and documents',
    up(db) {
      db.exec(`
        CREATE TABLE conversations (
          id TEXT PRIMARY KEY,
          channel TEXT NOT NULL,
          key TEXT NOT NULL,
          org TEXT NOT NULL,
          owner TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          version INTEGER NOT NULL,
          doc TEXT NOT NULL
        );
        CREATE UNIQUE INDEX conversations_channel_key ON conversations(channel, key);
        CREATE INDEX conversations_org_owner ON conversations(org, owner, updated_at);

        CREATE TABLE messages (
          conversation_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          at TEXT NOT NULL,
          sender TEXT NOT NULL,
          doc TEXT NOT NULL,
          PRIMARY KEY (conversation_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE documents (
          collection TEXT NOT NULL,
          id TEXT NOT NULL,
          doc TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (collection, id)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: 'indexes for finding documents by org and status (hand-off cases, advisers)',
    up(db) {
      db.exec(`
        CREATE INDEX documents_org_status ON documents(collection, json_extract(doc, '$.org'), json_extract(doc, '$.status'));
        CREATE INDEX documents_email ON documents(collection, json_extract(doc, '$.email')) WHERE json_extract(doc, '$.email') IS NOT NULL;
      `);
    },
  },
  {
    version: 3,
    name: 'attachments: bytes, thumbnail and what was read from them',
    up(db) {
      db.exec(`
        CREATE TABLE attachments (
          id TEXT PRIMARY KEY,
          org TEXT NOT NULL,
          chat TEXT NOT NULL,
          created_at TEXT NOT NULL,
          meta TEXT NOT NULL,
          data BLOB NOT NULL,
          thumb BLOB,
          unread INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX attachments_unread ON attachments(unread, created_at) WHERE unread = 1;
        CREATE INDEX attachments_chat ON attachments(chat);
      `);
    },
  },
];

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: Database, list: Migration[] = migrations): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const newest = list.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > newest) {
    throw new Error(
      `データベースのスキーマ (version ${from}) がこのプログラム (version ${newest}) より新しいため起動できません。` +
        ' 新しい版のプログラムを使ってください。',
    );
  }
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: Math.max(from, newest) };
}
