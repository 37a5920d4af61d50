import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineApi } from '../../adapters/line/line-api.js';
import { LineQuota, QUOTA_CACHE_MS } from '../../adapters/line/line-quota.js';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { silentLogger } from '../../bot/logger.js';
import { ACCESS_TOKEN, LINE_API } from '../helpers/line.js';
import { tempDir } from '../helpers/test-desk.js';

let store: SqliteStore;
beforeAll(() => {
  nock.disableNetConnect();
  store = new SqliteStore({ dataDir: tempDir() });
});
afterAll(async () => {
  await store.close();
  nock.enableNetConnect();
});
afterEach(() => nock.cleanAll());

function lineSays(plan: object, used: number | null) {
  nock(LINE_API).get('/v2/bot/message/quota').reply(200, plan);
  if (used === null) nock(LINE_API).get('/v2/bot/message/quota/consumption').times(2).reply(500, { message: 'error' });
  else nock(LINE_API).get('/v2/bot/message/quota/consumption').reply(200, { totalUsage: used });
}

describe('LINE push quota as advisers see it', () => {
  const api = new LineApi({ channelAccessToken: ACCESS_TOKEN, log: silentLogger, retries: 0, backoffMs: 1 });

  it('reads the plan and consumption, calls it low under a tenth (at least 20) left, and caches it a few minutes', async () => {
    let now = new Date('2026-12-10T01:00:00Z');
    const quota = new LineQuota(api, store, silentLogger, () => now);
    lineSays({ type: 'limited', value: 200 }, 150);
    expect(await quota.view()).toMatchObject({ state: 'ok', plan: 'limited', limit: 200, used: 150, remaining: 50 });
    // Within the cache time LINE is not asked again (nock would refuse the call).
    now = new Date(now.getTime() + QUOTA_CACHE_MS - 1000);
    expect((await quota.view()).remaining).toBe(50);
    now = new Date(now.getTime() + 2000);
    lineSays({ type: 'limited', value: 200 }, 181);
    expect(await quota.view()).toMatchObject({ state: 'low', remaining: 19 });
    now = new Date(now.getTime() + QUOTA_CACHE_MS);
    lineSays({ type: 'limited', value: 15000 }, 13600);
    expect(await quota.view()).toMatchObject({ state: 'low', remaining: 1400 });
    now = new Date(now.getTime() + QUOTA_CACHE_MS);
    lineSays({ type: 'none' }, 90000);
    expect(await quota.view()).toMatchObject({ state: 'ok', plan: 'none', used: 90000 });
  });

  it('trusts a refusal LINE has just made, remembers it for the month, and says unknown when LINE does not answer', async () => {
    let now = new Date('2026-12-31T14:00:00Z'); // 23:00 on 31 December in Japan
    const quota = new LineQuota(api, store, silentLogger, () => now);
    await quota.refused('req-429');
    lineSays({ type: 'limited', value: 200 }, 195); // consumption lags behind the refusal
    expect(await quota.view()).toMatchObject({ state: 'exhausted', exhaustedAt: '2026-12-31T14:00:00.000Z' });
    now = new Date('2026-12-31T14:30:00Z');
    lineSays({ type: 'limited', value: 200 }, null);
    expect(await quota.view()).toMatchObject({ state: 'exhausted' });
    // 1 January in Japan: a new month; December's refusal no longer counts.
    now = new Date('2026-12-31T15:30:00Z');
    lineSays({ type: 'limited', value: 200 }, null);
    const v = await quota.view();
    expect(v.state).toBe('unknown');
    expect(v.exhaustedAt).toBeUndefined();
  });
});
