import { readFileSync } from 'node:fs';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { compact } from '../../knowledge/normalize.js';
const kb = KnowledgeBase.load();
for (const file of process.argv.slice(2)) {
  const items = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const it of items) {
    const u = kb.understand(it.q);
    if (Boolean(it.urgent) === u.urgent) continue;
    const e = kb.entry(u.matches[0]!.id);
    const q = compact(it.q);
    const hits = (e?.urgentWhen ?? []).filter((w) => q.includes(compact(w)));
    console.log(`${it.urgent ? 'FN' : 'FP'} ${u.matches[0]!.id} [${hits.join(',')}] ${it.q}`);
  }
}
