import { compact } from '../../knowledge/normalize.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
const kb = KnowledgeBase.load();
const q = 'サーバーのファイルが全部開けなくなって、身代金を要求する画面が出ています';
console.log(compact(q));
console.log(kb.entry('ransomware')!.urgentWhen.map((i) => i + '=>' + i.split(/\s+/).map(compact).join('+')).join(' | '));
