import { HTTPFetchError } from '@line/bot-sdk';
import { readConfig } from '../config.js';
import { installRichMenu } from './richmenu.js';

/** `npm run line:richmenu`: creates the rich menu and sets it as the default (needs LINE_CHANNEL_ACCESS_TOKEN). */
const config = readConfig();
if (!config.LINE_CHANNEL_ACCESS_TOKEN) {
  process.stderr.write('LINE_CHANNEL_ACCESS_TOKEN を設定してください（LINE Developers コンソールの「Messaging API設定」で発行します）。\n');
  process.exit(1);
}
try {
  await installRichMenu(
    { channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN, baseURL: config.LINE_API_BASE_URL, dataBaseURL: config.LINE_DATA_API_BASE_URL },
    (line) => process.stdout.write(line + '\n'),
  );
} catch (e) {
  const detail = e instanceof HTTPFetchError ? `${e.status} ${String(e.body)}` : String(e);
  process.stderr.write(`リッチメニューを設定できませんでした: ${detail}\n`);
  process.exit(1);
}
