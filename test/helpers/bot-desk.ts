import { rmSync } from 'node:fs';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { Desk } from '../../bot/desk.js';
import { MessageBus } from '../../bot/message-bus.js';
import { DEFAULT_ORG, OrgDirectory, type Org } from '../../bot/orgs.js';
import type { Channel, Inbound, StoredMessage } from '../../bot/types.js';
import { DeskBot } from '../../dialogs/desk-bot.js';
import type { Dialog } from '../../dialogs/dialog.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { tempDir } from './test-desk.js';

let kb: KnowledgeBase | undefined;
/** The real knowledge base, loaded once per test file. */
export const knowledge = (): KnowledgeBase => (kb ??= KnowledgeBase.load());

const dirs: string[] = [];
/** For `afterEach`: deletes the data dirs of the desks made since. */
export function removeBotDesks(): void {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}

export interface BotDeskOptions {
  org?: Org;
  channel?: Channel;
  now?: Date;
  dialogs?: Dialog<any>[];
  publicUrl?: string;
  /** Reuse a data dir (a restart); a new temporary one otherwise. */
  dataDir?: string;
}

/**
 * The desk with the real bot and a SQLite store, in process, for one user: `say` and `press`
 * return what the bot answered. `later(ms)` moves the desk's clock on.
 */
export function botDesk(options: BotDeskOptions = {}) {
  const dir = options.dataDir ?? tempDir();
  if (!options.dataDir) dirs.push(dir);
  const org = options.org ?? DEFAULT_ORG;
  const channel = options.channel ?? 'web';
  const clock = { now: options.now ?? new Date() };
  const store = new SqliteStore({ dataDir: dir });
  const desk = new Desk({
    store,
    responder: new DeskBot(knowledge(), { dialogs: options.dialogs ?? [], publicUrl: () => options.publicUrl ?? 'https://desk.example.jp' }),
    orgs: new OrgDirectory([org]),
    bus: new MessageBus(),
    clock: () => clock.now,
  });
  const inbound = (content: Inbound['content']): Inbound => ({ channel, org: org.id, key: 'u1', userId: 'u1', content });
  const replies = (r: { messages: StoredMessage[] }) => r.messages.filter((m) => m.from !== 'user');
  return {
    dir,
    desk,
    store,
    say: async (text: string) => replies(await desk.handle(inbound({ type: 'text', text }))),
    press: async (value: string) => replies(await desk.handle(inbound({ type: 'choice', value }))),
    start: async () => replies(await desk.start(channel, org.id, 'u1', 'u1')),
    later: (ms: number) => void (clock.now = new Date(clock.now.getTime() + ms)),
  };
}
