import { createInterface } from 'node:readline';
import { KnowledgeBase } from './knowledge-base.js';

/**
 * `npm run --silent classify`: one question per line on stdin, one JSON line per question on
 * stdout, in order: {"topics":[{"id":"ransomware","score":0.91},...],"urgent":true}. The
 * contract ../shared/eval/score.mjs relies on: nothing else is written to stdout.
 */
const TOPICS_SHOWN = 5;

const kb = KnowledgeBase.load();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out: string[] = [];
for await (const line of lines) {
  const u = kb.understand(line);
  const topics = u.matches.slice(0, TOPICS_SHOWN).map((m) => ({ id: m.id, score: Math.round(m.score * 1000) / 1000 }));
  out.push(JSON.stringify({ topics, urgent: u.urgent }));
  // Flush in batches: one write per line would dominate the time for a large input.
  if (out.length >= 256) process.stdout.write(out.splice(0).join('\n') + '\n');
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
