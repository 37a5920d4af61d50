import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../bot/project-root.js';
import { launchChromium } from '../helpers/browser.js';

/** Development tool: renders adapters/line/richmenu/richmenu.html to the rich menu image (2500×843 PNG). */
const dir = join(projectRoot, 'adapters', 'line', 'richmenu');
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 2500, height: 843 } });
await page.goto(pathToFileURL(join(dir, 'richmenu.html')).href);
await page.screenshot({ path: join(dir, 'richmenu.png'), clip: { x: 0, y: 0, width: 2500, height: 843 } });
await browser.close();
console.log('written', join(dir, 'richmenu.png'));
