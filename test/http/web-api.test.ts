import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';
import { SseReader, type Session } from '../helpers/web-client.js';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk();
});
afterAll(() => desk.stop());

const auth = (s: Session) => ({ authorization: `Bearer ${s.token}` });
const errorOf = (r: { body: any }) => r.body?.error?.code;

describe('POST /api/web/sessions', () => {
  it('creates a session whose conversation starts with the greeting and menu', async () => {
    const r = await desk.client.request('POST', '/api/web/sessions', { body: {} });
    expect(r.status).toBe(201);
    expect(r.body.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.token.length).toBeGreaterThanOrEqual(40);
    const messages = await desk.client.messages({ id: r.body.sessionId, token: r.body.token });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ seq: 1, from: 'bot' });
    expect(messages[0]!.text).toMatch(/^こんにちは。セキュリティ相談窓口です。/);
    expect(messages[0]!.choices?.map((c) => c.label)).toEqual(['相談する', '自社診断', 'お助け隊サービス', '担当者と話す']);
    expect(Date.parse(messages[0]!.at)).not.toBeNaN();
  });

  it('accepts the default org by name, and gives 404 for an unknown org', async () => {
    expect((await desk.client.request('POST', '/api/web/sessions', { body: { org: 'default' } })).status).toBe(201);
    const r = await desk.client.request('POST', '/api/web/sessions', { body: { org: 'no-such-chamber' } });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: 'unknown_org', message: '相談窓口「no-such-chamber」は見つかりません。' });
  });

  it('answers bad bodies with precise errors', async () => {
    const bad = await desk.client.request('POST', '/api/web/sessions', { raw: '{"org":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toBe('bad_json');
    expect(bad.body.error.message).toMatch(/JSON/);
    const arr = await desk.client.request('POST', '/api/web/sessions', { body: ['default'] });
    expect([arr.status, errorOf(arr)]).toEqual([400, 'bad_request']);
    const num = await desk.client.request('POST', '/api/web/sessions', { body: { org: 7 } });
    expect([num.status, errorOf(num)]).toEqual([400, 'invalid_field']);
    const big = await desk.client.request('POST', '/api/web/sessions', { body: { org: 'x'.repeat(9000) } });
    expect([big.status, errorOf(big)]).toEqual([413, 'body_too_large']);
  });
});

describe('POST /api/web/sessions/:id/messages', () => {
  let s: Session;
  beforeAll(async () => {
    s = await desk.client.newSession();
  });

  it('acknowledges with the seq of the stored message, and the reply is already readable', async () => {
    const r = await desk.client.send(s, { text: 'ランサムウェアに感染したかもしれません' });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ seq: 2 });
    const after = await desk.client.messages(s, 1);
    expect(after[0]).toMatchObject({ seq: 2, from: 'user', text: 'ランサムウェアに感染したかもしれません' });
    expect(after[1]!.from).toBe('bot');
    expect(after[1]!.text).toMatch(/^【(至急】)?ランサムウェア/);
  });

  it('takes a pressed choice and shows its label in the transcript', async () => {
    const seq = await desk.client.choose(s, 'detail:ransomware');
    const [mine, ...answer] = await desk.client.messages(s, seq - 1);
    expect(mine).toMatchObject({ from: 'user', text: '詳しく' });
    expect(answer.map((m) => m.text).join('\n')).toMatch(/■ 出典/);
  });

  it('refuses missing, double, empty and oversize messages, storing nothing of them', async () => {
    const before = await desk.client.messages(s);
    const cases: [unknown, number, string][] = [
      [{}, 400, 'missing_field'],
      [{ text: 'a', choice: 'b' }, 400, 'missing_field'],
      [{ text: '' }, 400, 'empty_text'],
      [{ text: ' 　\n' }, 400, 'empty_text'],
      [{ text: 42 }, 400, 'invalid_field'],
      [{ choice: '' }, 400, 'invalid_field'],
      [{ text: 'あ'.repeat(2001) }, 413, 'text_too_long'],
      [{ text: '😀'.repeat(2001) }, 413, 'text_too_long'],
      [{ text: 'a'.repeat(9000) }, 413, 'body_too_large'],
    ];
    for (const [body, status, code] of cases) {
      const r = await desk.client.send(s, body);
      expect([r.status, errorOf(r)], JSON.stringify(body).slice(0, 40)).toEqual([status, code]);
      expect((r.body as any).error.message).toMatch(/[ぁ-んァ-ン一-龥]/); // a Japanese explanation
    }
    const bad = await desk.client.request('POST', `/api/web/sessions/${s.id}/messages`, { raw: '{"text":"途中', headers: { ...auth(s), 'content-type': 'application/json' } });
    expect([bad.status, errorOf(bad)]).toEqual([400, 'bad_json']);
    expect(await desk.client.messages(s)).toEqual(before);
  });

  it('accepts exactly 2,000 characters, emoji counted as one each', async () => {
    expect((await desk.client.send(s, { text: '😀'.repeat(2000) })).status).toBe(202);
  });

  it('needs the session token', async () => {
    const path = `/api/web/sessions/${s.id}/messages`;
    const none = await desk.client.request('POST', path, { body: { text: 'x' } });
    expect([none.status, errorOf(none)]).toEqual([401, 'missing_token']);
    const wrong = await desk.client.request('POST', path, { body: { text: 'x' }, headers: { authorization: 'Bearer not-the-token' } });
    expect([wrong.status, errorOf(wrong)]).toEqual([401, 'invalid_token']);
    const malformed = await desk.client.request('POST', path, { body: { text: 'x' }, headers: { authorization: s.token } });
    expect([malformed.status, errorOf(malformed)]).toEqual([401, 'missing_token']);
    const other = await desk.client.newSession();
    const crossed = await desk.client.request('POST', path, { body: { text: 'x' }, headers: auth(other) });
    expect([crossed.status, errorOf(crossed)]).toEqual([401, 'invalid_token']);
  });

  it('gives 404 for an unknown session', async () => {
    const r = await desk.client.request('POST', '/api/web/sessions/00000000-0000-0000-0000-000000000000/messages', { body: { text: 'x' }, headers: auth(s) });
    expect([r.status, errorOf(r)]).toEqual([404, 'unknown_session']);
  });
});

describe('GET /api/web/sessions/:id/messages', () => {
  it('pages by seq and checks its parameters', async () => {
    const s = await desk.client.newSession();
    await desk.client.say(s, 'こんにちは');
    const all = await desk.client.messages(s);
    expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    expect((await desk.client.messages(s, all.length)).length).toBe(0);
    const limited = await desk.client.request('GET', `/api/web/sessions/${s.id}/messages?after=0&limit=1`, { headers: auth(s) });
    expect(limited.body.messages).toHaveLength(1);
    const bad = await desk.client.request('GET', `/api/web/sessions/${s.id}/messages?after=-1`, { headers: auth(s) });
    expect([bad.status, errorOf(bad)]).toEqual([400, 'invalid_param']);
    const none = await desk.client.request('GET', `/api/web/sessions/${s.id}/messages`);
    expect([none.status, errorOf(none)]).toEqual([401, 'missing_token']);
  });
});

describe('GET /api/web/sessions/:id/stream', () => {
  it('sends the backlog, then live messages, with their seq as event id', async () => {
    const s = await desk.client.newSession();
    const sse = new SseReader(`${desk.url}/api/web/sessions/${s.id}/stream`, auth(s));
    expect(await sse.opened()).toBe(200);
    await sse.until((ms) => ms.length === 1);
    expect(sse.events[0]!.id).toBe('1');
    await desk.client.say(s, '偽の警告画面が出ています');
    const ms = await sse.until((m) => m.some((x) => x.from === 'bot' && x.seq > 2));
    expect(ms[1]).toMatchObject({ seq: 2, from: 'user', text: '偽の警告画面が出ています' });
    expect(sse.events.map((e) => Number(e.id))).toEqual(ms.map((m) => m.seq));
    sse.close();
  });

  it('resumes after Last-Event-ID without losing or repeating a message', async () => {
    const s = await desk.client.newSession();
    await desk.client.say(s, 'ランサムウェアかもしれない');
    const total = (await desk.client.messages(s)).length;
    const sse = new SseReader(`${desk.url}/api/web/sessions/${s.id}/stream?token=${encodeURIComponent(s.token)}`, { 'last-event-id': '2' });
    const ms = await sse.until((m) => m.length === total - 2);
    expect(ms.map((m) => m.seq)).toEqual(Array.from({ length: total - 2 }, (_, i) => i + 3));
    await desk.client.say(s, '解決した');
    await sse.until((m) => m.some((x) => x.text === '解決した'));
    const seqs = sse.messages().map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    sse.close();
  });

  it('accepts the token as a query parameter for EventSource, and refuses a wrong one', async () => {
    const s = await desk.client.newSession();
    const ok = new SseReader(`${desk.url}/api/web/sessions/${s.id}/stream?token=${encodeURIComponent(s.token)}&after=1`);
    expect(await ok.opened()).toBe(200);
    ok.close();
    const wrong = await desk.client.request('GET', `/api/web/sessions/${s.id}/stream?token=nope`);
    expect([wrong.status, errorOf(wrong)]).toEqual([401, 'invalid_token']);
    const unknown = await desk.client.request('GET', `/api/web/sessions/nope/stream?token=x`);
    expect([unknown.status, errorOf(unknown)]).toEqual([404, 'unknown_session']);
    const badId = await desk.client.request('GET', `/api/web/sessions/${s.id}/stream`, { headers: { ...auth(s), 'last-event-id': 'abc' } });
    expect([badId.status, errorOf(badId)]).toEqual([400, 'invalid_param']);
  });
});

describe('the rest of the surface', () => {
  it('serves the widget and the demo page', async () => {
    const w = await fetch(`${desk.url}/widget.js`);
    expect(w.headers.get('content-type')).toMatch(/javascript/);
    expect(await w.text()).toContain('isComposing');
    const page = await fetch(`${desk.url}/`);
    const html = await page.text();
    expect(html).toContain('<script src="/widget.js" data-org="default" async></script>');
  });
  it('answers unknown paths with a JSON 404', async () => {
    const api = await desk.client.request('GET', '/api/web/nothing');
    expect([api.status, errorOf(api)]).toEqual([404, 'not_found']);
    const page = await desk.client.request('GET', '/nothing');
    expect([page.status, errorOf(page)]).toEqual([404, 'not_found']);
    expect((await desk.client.request('GET', '/healthz')).body).toEqual({ ok: true });
  });
  it('answers a wrong method with 405 and Allow', async () => {
    const r = await desk.client.request('GET', '/api/web/sessions');
    expect([r.status, errorOf(r)]).toEqual([405, 'method_not_allowed']);
    expect(r.headers.get('allow')).toBe('POST');
    const s = await desk.client.newSession();
    const d = await desk.client.request('DELETE', `/api/web/sessions/${s.id}/messages`, { headers: auth(s) });
    expect([d.status, d.headers.get('allow')]).toEqual([405, 'GET, POST']);
  });
  it('refuses a body that is not UTF-8', async () => {
    const s = await desk.client.newSession();
    const r = await desk.client.request('POST', `/api/web/sessions/${s.id}/messages`, {
      raw: '{"text":"x"}',
      headers: { ...auth(s), 'content-type': 'application/json; charset=shift_jis' },
    });
    expect([r.status, errorOf(r)]).toEqual([415, 'unsupported_encoding']);
  });
});

describe('rate limits', () => {
  let limited: TestDesk;
  beforeAll(async () => {
    limited = await startTestDesk({ RATE_LIMIT_SESSION_PER_MIN: '3', RATE_LIMIT_NEW_SESSIONS_PER_MIN: '4', RATE_LIMIT_IP_PER_MIN: '1000' });
  });
  afterAll(() => limited.stop());

  it('limits messages per session with 429 and Retry-After, other sessions unaffected', async () => {
    const a = await limited.client.newSession();
    const b = await limited.client.newSession();
    for (let i = 0; i < 3; i++) expect((await limited.client.send(a, { text: `質問${i}` })).status).toBe(202);
    const r = await limited.client.send(a, { text: 'もう一つ' });
    expect([r.status, errorOf(r)]).toEqual([429, 'rate_limited']);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.client.send(b, { text: '別の会話' })).status).toBe(202);
    expect((await limited.client.messages(a)).filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['質問0', '質問1', '質問2']);
  });

  it('limits new sessions per IP', async () => {
    // Two sessions were opened above; two more fit in the burst of four.
    await limited.client.newSession();
    await limited.client.newSession();
    const r = await limited.client.request('POST', '/api/web/sessions', { body: {} });
    expect([r.status, errorOf(r)]).toEqual([429, 'rate_limited']);
  });

  it('limits all requests per IP', async () => {
    const tight = await startTestDesk({ RATE_LIMIT_IP_PER_MIN: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await tight.client.request('GET', '/api/web/sessions/x/messages')).status);
      expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429]);
    } finally {
      await tight.stop();
    }
  });
});

describe('allowed origins (CORS)', () => {
  let cors: TestDesk;
  beforeAll(async () => {
    const dir = tempDir();
    const file = join(dir, 'orgs.json');
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'minato', name: 'みなと商工会議所', allowedOrigins: ['https://minato-cci.example.jp'] },
        { id: 'yama', name: 'やま商工会', allowedOrigins: ['https://yama.example.jp'] },
      ]),
    );
    cors = await startTestDesk({ ORGS_FILE: file });
  });
  afterAll(() => cors.stop());

  it('answers a preflight from an allowed origin', async () => {
    const r = await fetch(`${cors.url}/api/web/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://minato-cci.example.jp', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://minato-cci.example.jp');
    expect(r.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const denied = await fetch(`${cors.url}/api/web/sessions`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("lets an org's own site use its desk, but not another org's", async () => {
    const mine = await cors.client.request('POST', '/api/web/sessions', { body: { org: 'minato' }, headers: { origin: 'https://minato-cci.example.jp' } });
    expect(mine.status).toBe(201);
    expect(mine.headers.get('access-control-allow-origin')).toBe('https://minato-cci.example.jp');
    const theirs = await cors.client.request('POST', '/api/web/sessions', { body: { org: 'yama' }, headers: { origin: 'https://minato-cci.example.jp' } });
    expect([theirs.status, errorOf(theirs)]).toEqual([403, 'origin_not_allowed']);
    const session = { id: mine.body.sessionId, token: mine.body.token };
    const fromElsewhere = await cors.client.request('POST', `/api/web/sessions/${session.id}/messages`, {
      body: { text: 'x' },
      headers: { ...auth(session), origin: 'https://yama.example.jp' },
    });
    expect([fromElsewhere.status, errorOf(fromElsewhere)]).toEqual([403, 'origin_not_allowed']);
  });

  it("always allows the desk's own demo page, and unknown orgs get 404", async () => {
    const own = await cors.client.request('POST', '/api/web/sessions', { body: { org: 'yama' }, headers: { origin: cors.url } });
    expect(own.status).toBe(201);
    const unknown = await cors.client.request('POST', '/api/web/sessions', { body: { org: 'default' } });
    expect([unknown.status, errorOf(unknown)]).toEqual([404, 'unknown_org']);
    const noOrg = await cors.client.request('POST', '/api/web/sessions', { body: {} });
    expect(noOrg.status).toBe(201); // falls back to the first org
  });
});
