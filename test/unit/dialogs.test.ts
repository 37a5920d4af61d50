import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { Desk } from '../../bot/desk.js';
import { MessageBus } from '../../bot/message-bus.js';
import { DEFAULT_ORG, OrgDirectory } from '../../bot/orgs.js';
import type { Inbound, StoredMessage } from '../../bot/types.js';
import { pickChoice } from '../../dialogs/choices.js';
import { DeskBot } from '../../dialogs/desk-bot.js';
import type { Dialog } from '../../dialogs/dialog.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { tempDir } from '../helpers/test-desk.js';

/**
 * A three-step resumable flow used to exercise the engine through the real desk, store and
 * bot: company size (choices), company name (free text), confirmation (yes/no).
 */
interface Profile { size?: string; name?: string }
const SIZES = [
  { label: '1〜5人', value: 'size:s' },
  { label: '6〜20人', value: 'size:m' },
  { label: '21人以上', value: 'size:l' },
];
const YES_NO = [
  { label: 'はい', value: 'yes' },
  { label: 'いいえ', value: 'no' },
];
const profileDialog: Dialog<Profile> = {
  id: 'profile',
  title: '会社情報の登録',
  resumable: true,
  begin: () => ({ step: 'size', state: {} }),
  steps: {
    size: {
      ask: () => ({ text: '(1/3) 従業員は何人ですか？', choices: SIZES }),
      answer(input, state) {
        const c = pickChoice(input, SIZES);
        if (!c) return undefined;
        state.size = c.label;
        return { next: 'name' };
      },
    },
    name: {
      ask: () => ({ text: '(2/3) 会社名を入力してください。' }),
      answer(input, state) {
        if (input.type !== 'text' || input.text.length > 50) return undefined;
        state.name = input.text;
        return { next: 'confirm' };
      },
      reask: '会社名を 50 文字以内で入力してください。',
      freeText: true,
    },
    confirm: {
      ask: (s) => ({ text: `(3/3) ${s.name}（${s.size}）でよろしいですか？`, choices: YES_NO }),
      answer(input, state, turn) {
        const c = pickChoice(input, YES_NO, { yes: ['ok', 'うん'], no: ['違う'] });
        if (!c) return undefined;
        if (c.value === 'no') return { next: 'size' };
        turn.say(`登録しました: ${state.name}`);
        return { end: true };
      },
    },
  },
};

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const kb = KnowledgeBase.load();

function deskOn(dir: string) {
  const store = new SqliteStore({ dataDir: dir });
  const desk = new Desk({ store, responder: new DeskBot(kb, { dialogs: [profileDialog] }), orgs: new OrgDirectory([DEFAULT_ORG]), bus: new MessageBus() });
  return { desk, store };
}
function setup() {
  const dir = tempDir();
  dirs.push(dir);
  return { dir, ...deskOn(dir) };
}
const inbound = (content: Inbound['content']): Inbound => ({ channel: 'web', org: 'default', key: 'u1', userId: 'u1', content });
async function say(desk: Desk, text: string): Promise<StoredMessage[]> {
  return (await desk.handle(inbound({ type: 'text', text }))).messages.slice(1);
}
async function press(desk: Desk, value: string): Promise<StoredMessage[]> {
  return (await desk.handle(inbound({ type: 'choice', value }))).messages.slice(1);
}
const texts = (ms: StoredMessage[]) => ms.map((m) => m.text).join('\n');
const last = (ms: StoredMessage[]) => ms[ms.length - 1]!;

describe('dialog engine through the desk', () => {
  it('runs a flow with choices, typed partial answers and free text', async () => {
    const { desk } = setup();
    expect(texts(await press(desk, 'start:profile'))).toContain('(1/3)');
    expect(texts(await say(desk, '20人'))).toContain('(2/3)'); // part of one label only
    expect(texts(await say(desk, '山田工業'))).toContain('(3/3) 山田工業（6〜20人）');
    const done = await say(desk, 'うん');
    expect(texts(done)).toContain('登録しました: 山田工業');
  });

  it('re-asks in Japanese with the choices when the answer is not understood', async () => {
    const { desk, store } = setup();
    await press(desk, 'start:profile');
    const r = await say(desk, 'ばなな');
    expect(r[0]!.text).toMatch(/^すみません、お答えを読み取れませんでした/);
    expect(last(r).choices).toEqual(SIZES);
    const again = await say(desk, 'みかん');
    expect(again[0]!.text).toMatch(/「やめる」.*「担当者」/s); // after two misses, how to get out
    const c = (await store.findConversation('web', 'u1'))!;
    expect(c.dialogs[0]).toMatchObject({ dialog: 'profile', step: 'size', retries: 2 });
  });

  it('answers a question asked mid-flow and offers to resume at the same step', async () => {
    const { desk } = setup();
    await press(desk, 'start:profile');
    const atSize = await say(desk, '偽の警告画面が出て電話番号が表示された');
    expect(atSize[0]!.text).toContain('サポート詐欺');
    expect(texts(await say(desk, '続ける'))).toContain('(1/3)');
    await say(desk, '1〜5人');
    // At a free-text step too, a clear question is answered rather than taken as the name.
    const r = await say(desk, 'ファイルが開けなくなって拡張子が変わっている');
    expect(r[0]!.text).toContain('ランサムウェア');
    expect(last(r).text).toBe('「会社情報の登録」の途中です。続けますか？');
    expect(last(r).choices?.map((c) => c.label)).toEqual(['続ける', 'やめる']);
    expect(texts(r)).not.toContain('この回答で解決しましたか'); // no feedback prompt mid-flow
    const resumed = await say(desk, '続ける');
    expect(texts(resumed)).toContain('(2/3) 会社名を入力してください。');
    expect(texts(await say(desk, '佐藤商店'))).toContain('(3/3) 佐藤商店（1〜5人）');
  });

  it('takes a valid answer directly after an interruption, without 続ける', async () => {
    const { desk } = setup();
    await press(desk, 'start:profile');
    await say(desk, '偽の警告画面が出て電話番号が表示された');
    expect(texts(await press(desk, 'size:l'))).toContain('(2/3)');
  });

  it('resumes a flow after a restart, from the store', async () => {
    const first = setup();
    await press(first.desk, 'start:profile');
    await say(first.desk, '6〜20人');
    await first.store.close();
    const again = deskOn(first.dir); // a new process on the same data dir
    const r = await say(again.desk, '鈴木製作所');
    expect(texts(r)).toContain('(3/3) 鈴木製作所（6〜20人）');
    await again.store.close();
  });

  it('stops a flow with やめる and says which one', async () => {
    const { desk, store } = setup();
    await press(desk, 'start:profile');
    const r = await say(desk, 'やめる');
    expect(r[0]!.text).toBe('「会社情報の登録」を中止しました。');
    expect((await store.findConversation('web', 'u1'))!.dialogs).toEqual([]);
    const nothing = await say(desk, 'キャンセル');
    expect(nothing[0]!.text).toMatch(/わかりました/);
  });

  it('shows the menu with メニュー from inside a flow', async () => {
    const { desk, store } = setup();
    await press(desk, 'start:profile');
    const r = await say(desk, 'メニュー');
    expect(last(r).choices?.map((c) => c.label)).toEqual(['相談する', '自社診断', 'お助け隊サービス', '担当者と話す']);
    expect((await store.findConversation('web', 'u1'))!.dialogs.map((d) => d.dialog)).toEqual(['welcome']);
  });

  it('records a hand-off request with 担当者 and keeps the flow to resume later', async () => {
    const { desk, store } = setup();
    await press(desk, 'start:profile');
    const r = await say(desk, '担当者');
    expect(r[0]!.text).toMatch(/^担当者（相談員）におつなぎします。/);
    await say(desk, 'はい');
    for (const _ of [1, 2]) await say(desk, 'スキップ');
    const done = await say(desk, 'スキップ');
    expect(done[0]!.text).toContain('担当者へのおつなぎを受け付けました。現在 1 番目です。');
    const c = (await store.findConversation('web', 'u1'))!;
    expect(c.owner).toBe('waiting');
    expect(c.handoff).toMatchObject({ reason: 'user', duringHours: true });
    expect(c.dialogs.map((d) => d.dialog)).toEqual(['profile']);
    expect(texts(await say(desk, '再開'))).toContain('(1/3)');
  });

  it('drops a frame whose step no longer exists in the code', async () => {
    const { desk, store } = setup();
    await press(desk, 'start:profile');
    const c = (await store.findConversation('web', 'u1'))!;
    c.dialogs[0]!.step = 'removed-in-a-later-version';
    await store.commit(c, []);
    const r = await say(desk, 'ランサムウェアに感染したかもしれない');
    expect(r[0]!.text).toContain('ランサムウェア');
    expect((await store.findConversation('web', 'u1'))!.dialogs.map((d) => d.dialog)).toEqual(['feedback']);
  });
});

describe('typed choices', () => {
  const MORE = [
    { label: '詳しく', value: 'detail:x' },
    { label: '連絡先', value: 'contacts:x' },
  ];
  const typed = (text: string) => pickChoice({ type: 'text', text }, MORE)?.value;
  it('takes a label typed with a few words around it, but not a longer question that holds it', () => {
    expect(typed('連絡先')).toBe('contacts:x');
    expect(typed('連絡先を教えて')).toBe('contacts:x');
    expect(typed('詳しくお願いします')).toBe('detail:x');
    expect(typed('IPAの相談窓口の連絡先を教えて')).toBeUndefined();
  });
});
