import { KnowledgeError, loadKnowledge } from './load.js';

/**
 * `npm run knowledge:check`: validates every knowledge file without starting the desk.
 * Exits 1 with the file and field of the first problem.
 */
try {
  const { entries, contacts, threats, diagnosis } = loadKnowledge();
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
