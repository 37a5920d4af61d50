import { contactProblems, longestFirstMessage, shapeProblems } from './answer-shape.js';
import { KnowledgeError, loadKnowledge } from './load.js';

/**
 * `npm run knowledge:check`: validates every knowledge file without starting the desk.
 * Exits 1 with the file and field of the first problem, or with every entry whose answer
 * does not have the expected shape (first message length, sources). `--lengths` prints each
 * entry's longest first message.
 */
try {
  const { entries, contacts, threats, diagnosis } = loadKnowledge();
  // Rendering an answer needs only the contacts: no classifier to train here.
  const kb = { contact: (id: string) => contacts.get(id) };
  if (process.argv.includes('--lengths')) {
    for (const e of entries) {
      const l = longestFirstMessage(kb, e);
      process.stdout.write(`${String(l.length).padStart(4)}  ${e.id}${l.asked ? `  （${l.asked}）` : ''}\n`);
    }
  }
  const problems = [...entries.flatMap((e) => shapeProblems(kb, e).map((p) => `  ${e.id}: ${p}`)), ...contactProblems(contacts.values()).map((p) => `  ${p}`)];
  if (problems.length) {
    process.stderr.write(`回答の形に直すところがあります（${problems.length} 件）。\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `OK: ${entries.length} 件のエントリー、${contacts.size} 件の相談先、10大脅威 ${threats.length} 年分、自社診断 ${diagnosis.items.length} 項目を確認しました。\n`,
  );
} catch (e) {
  if (e instanceof KnowledgeError) {
    process.stderr.write(`知識ベースに誤りがあります。\n  ファイル: ${e.file}\n  項目: ${e.field}\n  内容: ${e.problem}\n`);
    process.exit(1);
  }
  throw e;
}
