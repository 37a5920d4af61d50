import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';

/**
 * The bench's yardstick: the simplest durable chat endpoint one could write on this stack —
 * express parsing a JSON POST and one SQLite commit (WAL, synchronous=NORMAL) per request, then
 * 202. This machine's speed varies a lot between runs, so the desk's figures are reported beside
 * this reference's, measured in the same run, as a ratio.
 */
const dir = mkdtempSync(join(tmpdir(), 'desk-ref-'));
const db = new Database(join(dir, 'ref.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, session TEXT NOT NULL, doc TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO messages (session, doc) VALUES (?, ?)');
const app = express();
app.use(express.json({ limit: '8kb' }));
app.post('/ref/:session', (req, res) => {
  const r = insert.run(req.params.session, JSON.stringify(req.body));
  res.status(202).json({ seq: Number(r.lastInsertRowid) });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
