import { createInterface } from 'node:readline/promises';
import { describeOutput, LineSimulator } from './line-simulator.js';

/**
 * `npm run line:sim`: chat with the running desk as a LINE user would, without a LINE channel.
 * Start the desk with the same secret and token and with LINE_API_BASE_URL pointing here.
 */
const env = process.env;
const secret = env.LINE_CHANNEL_SECRET ?? 'line-sim-secret';
const token = env.LINE_CHANNEL_ACCESS_TOKEN ?? 'line-sim-token';
const port = Number(env.LINE_SIM_PORT ?? 3979);
const desk = (env.DESK_URL ?? 'http://localhost:3978').replace(/\/$/, '');

const sim = new LineSimulator({ webhookUrl: `${desk}/webhooks/line`, channelSecret: secret, channelAccessToken: token, port });
const base = await sim.start();
process.stdout.write(
  [
    `LINE シミュレーター: LINE の API の代わりを ${base} で動かしています。`,
    'デスクは別の端末で、次の設定で起動してください:',
    `  LINE_CHANNEL_SECRET=${secret} LINE_CHANNEL_ACCESS_TOKEN=${token} LINE_API_BASE_URL=${base} npm start`,
    '',
    '文章を入力すると LINE のメッセージとして送ります。クイックリプライは番号で選べます。',
    '  /follow 友だち追加  /unfollow ブロック  /sticker スタンプ  /quit 終了',
    '',
  ].join('\n') + '\n',
);

let printed = 0;
const printer = setInterval(() => {
  while (printed < sim.outputs.length) process.stdout.write(describeOutput(sim.outputs[printed++]!) + '\n\n');
}, 100);

const rl = createInterface({ input: process.stdin, output: process.stdout });
async function send(line: string): Promise<void> {
  const choices = sim.latestChoices();
  const n = /^\d{1,2}$/.test(line) ? Number(line) : NaN;
  let status: number;
  if (line === '/follow') status = await sim.follow();
  else if (line === '/unfollow') status = await sim.unfollow();
  else if (line === '/sticker') status = await sim.sticker();
  else if (n >= 1 && n <= choices.length) {
    process.stdout.write(`（「${choices[n - 1]!.label}」を選びました）\n`);
    status = await sim.postback(choices[n - 1]!.data);
  } else status = await sim.text(line);
  if (status !== 200) process.stdout.write(`デスクが ${status} を返しました（設定の secret が同じか、デスクが起動しているか確かめてください）。\n`);
}

try {
  await send('/follow');
} catch {
  process.stdout.write(`デスク (${desk}) に接続できません。起動してから文章を入力してください。\n`);
}
for await (const line of rl) {
  const t = line.trim();
  if (t === '/quit') break;
  if (!t) continue;
  try {
    await send(t);
  } catch (e) {
    process.stdout.write(`送れませんでした: ${String(e)}\n`);
  }
}
clearInterval(printer);
rl.close();
await sim.stop();
