import { readFileSync } from 'node:fs';
import { OUT_OF_SCOPE } from '../../knowledge/classifier.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
/** How the bot would act on each question of a set: answer, ask which, did-you-mean, decline. */
const kb = KnowledgeBase.load();
const [high, close] = process.argv.slice(3).map(Number);
for (const file of [process.argv[2]!]) {
  const items = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const tally: Record<string, [number, number]> = {};
  for (const it of items) {
    const u = kb.understand(it.q);
    const [a, b] = u.matches;
    let act: string;
    let ok: boolean;
    if (a!.id === OUT_OF_SCOPE || u.confidence === 'none') { act = 'decline'; ok = it.topic === OUT_OF_SCOPE; }
    else if (a!.score >= high! && !u.urgent && b && b.id !== OUT_OF_SCOPE && a!.score - b.score < close!) { act = 'which'; ok = [a!.id, b.id].includes(it.topic); }
    else if (a!.score >= high!) { act = 'answer'; ok = a!.id === it.topic; }
    else { act = 'did-you-mean'; ok = u.matches.filter((m) => m.id !== OUT_OF_SCOPE).slice(0, 3).some((m) => m.id === it.topic); }
    const t = (tally[act] ??= [0, 0]);
    t[0]++;
    if (ok) t[1]++;
  }
  console.log(file.split('/').pop(), `high=${high} close=${close}`, Object.entries(tally).map(([k, [n, ok]]) => `${k} ${n} (right ${ok})`).join(', '));
}
