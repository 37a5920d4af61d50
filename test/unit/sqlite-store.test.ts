import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { migrate } from '../../adapters/sqlite/migrations.js';
import { ConflictError } from '../../bot/store.js';
import type { Conversation } from '../../bot/types.js';
import { tempDir } from '../helpers/test-desk.js';

const dirs: string[] = [];
function open(dir = tempDir()): SqliteStore {
  dirs.push(dir);
  return new SqliteStore({ dataDir: dir });
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function conversation(id = 'c1', key = 'k1'): Conversation {
  const at = '2026-11-22T00:00:00.000Z';
  return {
    id, org: 'default', channel: 'web', key, userId: key, owner: 'bot', createdAt: at, updatedAt: at,
    lastSeq: 0, version: 0, dialogs: [], lastChoices: [], handoff: null, lowConfidenceStreak: 0, topics: [],
  };
}
const msg = (text: string) => ({ from: 'user' as const, text, at: '2026-11-22T00:00:00.000Z' });

describe('SqliteStore', () => {
  it('creates the data dir and schema on first start, in WAL mode', () => {
    const dir = tempDir();
    const s = open(`${dir}/nested/data`);
    expect(s.schemaVersion()).toBe(3);
    const db = new Database(s.file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('commits a conversation with its messages and numbers them from 1', async () => {
    const s = open();
    const c = conversation();
    const stored = await s.commit(c, [msg('一'), msg('二')]);
    expect(stored.map((m) => m.seq)).toEqual([1, 2]);
    expect(c.version).toBe(1);
    expect(c.lastSeq).toBe(2);
    const more = await s.commit(c, [msg('三')]);
    expect(more[0]!.seq).toBe(3);
    expect((await s.listMessages('c1', 0, 10)).map((m) => m.text)).toEqual(['一', '二', '三']);
    expect((await s.listMessages('c1', 1, 1)).map((m) => m.text)).toEqual(['二']);
    expect((await s.findConversation('web', 'k1'))?.lastSeq).toBe(3);
    expect((await s.getConversation('c1'))?.version).toBe(2);
  });

  it('refuses a stale write and stores nothing of it', async () => {
    const s = open();
    const c = conversation();
    await s.commit(c, [msg('a')]);
    const stale = structuredClone(c);
    await s.commit(c, [msg('b')]);
    await expect(s.commit(stale, [msg('lost?')])).rejects.toBeInstanceOf(ConflictError);
    expect((await s.listMessages('c1', 0, 10)).map((m) => m.text)).toEqual(['a', 'b']);
    expect(stale.version).toBe(1); // untouched by the failed write
  });

  it('refuses a second new conversation for the same channel key', async () => {
    const s = open();
    await s.commit(conversation('c1', 'same'), [msg('a')]);
    await expect(s.commit(conversation('c2', 'same'), [msg('b')])).rejects.toBeInstanceOf(ConflictError);
    expect(await s.getConversation('c2')).toBeNull();
    expect(await s.listMessages('c2', 0, 10)).toEqual([]);
  });

  it('keeps everything across a reopen of the same file', async () => {
    const dir = tempDir();
    const s1 = open(dir);
    const c = conversation();
    c.dialogs.push({ dialog: 'x', step: 's', state: { n: 1 }, retries: 0 });
    await s1.commit(c, [msg('残る')]);
    await s1.documents<{ v: number }>('things').put('a', { v: 1 });
    await s1.close();
    const s2 = open(dir);
    expect((await s2.getConversation('c1'))?.dialogs[0]?.state).toEqual({ n: 1 });
    expect((await s2.listMessages('c1', 0, 10))[0]?.text).toBe('残る');
    expect(await s2.documents('things').get('a')).toEqual({ v: 1 });
  });

  it('stores documents by collection and id; insertNew is exactly once', async () => {
    const s = open();
    const a = s.documents<{ n: number }>('a');
    const b = s.documents<{ n: number }>('b');
    await a.put('x', { n: 1 });
    expect(await b.get('x')).toBeNull();
    expect(await a.insertNew('x', { n: 2 })).toBe(false);
    expect(await a.get('x')).toEqual({ n: 1 });
    expect(await a.insertNew('y', { n: 3 })).toBe(true);
    await a.delete('x');
    expect(await a.get('x')).toBeNull();
  });

  it('writes and deletes several documents atomically, and inserts alongside only a new id', async () => {
    const s = open();
    await s.documents('inbox').put('e1', { text: 'a' });
    await s.writeDocuments([
      { collection: 'inbox', id: 'e1', doc: null },
      { collection: 'parked', id: 'e1', doc: { text: 'a' } },
    ]);
    expect(await s.documents('inbox').get('e1')).toBeNull();
    expect(await s.documents('parked').get('e1')).toEqual({ text: 'a' });
    // All or none: a write that fails half-way (a document that cannot be serialised) leaves nothing.
    const bad = { self: {} as Record<string, unknown> };
    bad.self.loop = bad;
    await expect(s.writeDocuments([{ collection: 'x', id: '1', doc: { ok: true } }, { collection: 'x', id: '2', doc: bad }])).rejects.toThrow();
    expect(await s.documents('x').get('1')).toBeNull();

    const seen = s.documents('seen');
    expect(await seen.insertNew('ev1', { at: 't' }, [{ collection: 'inbox', id: 'ev1', doc: { n: 1 } }])).toBe(true);
    expect(await seen.insertNew('ev1', { at: 't' }, [{ collection: 'inbox', id: 'ev1', doc: { n: 2 } }])).toBe(false);
    expect(await s.documents('inbox').get('ev1')).toEqual({ n: 1 });
  });

  it('applies migrations in order once, and refuses a database newer than the code', () => {
    const db = new Database(':memory:');
    const applied: number[] = [];
    const list = [
      { version: 2, name: 'two', up: () => applied.push(2) },
      { version: 1, name: 'one', up: () => applied.push(1) },
    ];
    expect(migrate(db, list)).toEqual({ from: 0, to: 2 });
    expect(migrate(db, list)).toEqual({ from: 2, to: 2 });
    expect(applied).toEqual([1, 2]);
    expect(() => migrate(db, list.slice(1))).toThrow(/新しい/);
  });

  it('finds documents by fields with the index, and lists an inbox oldest first', async () => {
    const s = open(tempDir());
    const cases = s.documents<{ id: string; org: string; status: string }>('cases');
    await cases.put('a', { id: 'a', org: 'x', status: 'waiting' });
    await cases.put('b', { id: 'b', org: 'y', status: 'waiting' });
    await cases.put('c', { id: 'c', org: 'x', status: 'active' });
    await cases.put('d', { id: 'd', org: 'x', status: 'closed' });
    expect((await cases.find({ org: 'x', status: 'waiting' })).map((c) => c.id)).toEqual(['a']);
    expect((await cases.find({ org: 'x', status: ['waiting', 'active'] })).map((c) => c.id)).toEqual(['a', 'c']);
    expect(await s.documents('other').find({ org: 'x' })).toEqual([]);
    await expect(cases.find({ 'org) OR (1': 'x' })).rejects.toThrow();
    expect((await cases.list(2)).map((r) => r.id)).toEqual(['a', 'b']);
    await s.close();
  });

  it('prunes documents last written before a time, in one collection only', async () => {
    const s = open(tempDir());
    await s.documents('seen').put('a', { at: 1 });
    await s.documents('keep').put('b', { at: 1 });
    expect(await s.documents('seen').prune('2000-01-01T00:00:00.000Z')).toBe(0);
    expect(await s.documents('seen').prune(new Date(Date.now() + 1000).toISOString())).toBe(1);
    expect(await s.documents('seen').get('a')).toBeNull();
    expect(await s.documents('keep').get('b')).toEqual({ at: 1 });
    await s.close();
  });

  it('replaces the text of a message the user took back, keeping its place', async () => {
    const s = open(tempDir());
    const c = conversation('c1', 'k1');
    await s.commit(c, [{ ...msg('秘密の番号 1234'), channelMessageId: 'm1' }, msg('次')]);
    expect(await s.redactMessage('c1', 'm1', '（取り消し）')).toBe(true);
    expect(await s.redactMessage('c1', 'nope', '（取り消し）')).toBe(false);
    const list = await s.listMessages('c1', 0, 10);
    expect(list.map((m) => [m.seq, m.from, m.text])).toEqual([
      [1, 'user', '（取り消し）'],
      [2, 'user', '次'],
    ]);
    await s.close();
  });

  it('rolls back a migration that fails half-way', () => {
    const db = new Database(':memory:');
    const bad = [{ version: 1, name: 'bad', up: (d: Database.Database) => { d.exec('CREATE TABLE t (a)'); throw new Error('boom'); } }];
    expect(() => migrate(db, bad)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
  });
});
