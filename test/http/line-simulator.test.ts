import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOutput, LineSimulator } from '../../adapters/line/simulator/line-simulator.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';

/** The simulator against a real desk on loopback: signed webhooks in, the desk's API calls answered. */
let desk: TestDesk;
let sim: LineSimulator;
beforeAll(async () => {
  // The desk must know where the simulator listens before it starts: reserve the simulator first.
  const probe = new LineSimulator({ webhookUrl: 'http://127.0.0.1:1/', channelSecret: 's', channelAccessToken: 't' });
  const base = await probe.start();
  await probe.stop();
  const port = Number(new URL(base).port);
  desk = await startTestDesk({ LINE_CHANNEL_SECRET: 'sim-secret', LINE_CHANNEL_ACCESS_TOKEN: 'sim-token', LINE_API_BASE_URL: base });
  sim = new LineSimulator({ webhookUrl: `${desk.url}/webhooks/line`, channelSecret: 'sim-secret', channelAccessToken: 'sim-token', port });
  await sim.start();
});
afterAll(async () => {
  await sim?.stop();
  await desk?.stop();
});

describe('npm run line:sim', () => {
  it('greets on follow, answers typed text, and takes a quick reply by its postback', async () => {
    expect(await sim.follow()).toBe(200);
    const greeting = (await sim.next())!;
    expect(greeting.via).toBe('reply');
    expect(describeOutput(greeting)).toMatch(/こんにちは。セキュリティ相談窓口です。[\s\S]*\(2\) 自社診断/);

    expect(await sim.text('振込先の変更を頼むメールが本物か、見分けるコツはありますか')).toBe(200);
    const answer = (await sim.next())!;
    expect(answer.messages[0]!.text).toMatch(/^【/);

    const choices = sim.latestChoices();
    expect(choices.map((c) => c.label)).toContain('解決した');
    await sim.postback(choices.find((c) => c.label === '解決した')!.data);
    expect((await sim.next())!.messages[0]!.text).toMatch(/^お役に立ててよかったです/);
  });

  it('is refused by the desk when its secret differs', async () => {
    const stranger = new LineSimulator({ webhookUrl: `${desk.url}/webhooks/line`, channelSecret: 'wrong', channelAccessToken: 'sim-token' });
    expect(await stranger.text('こんにちは')).toBe(401);
  });
});
