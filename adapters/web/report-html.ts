import { japaneseDate } from '../../bot/japanese-date.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { escapeHtml as esc } from '../http/html.js';
import { printableHead } from './printable-page.js';
import { policyDraft } from '../../dialogs/diagnosis/policy.js';
import { answersByNumber, type DiagnosisRecord } from '../../dialogs/diagnosis/record.js';
import { answerLabel, comparisonLine, securityActionLines } from '../../dialogs/diagnosis/result-replies.js';

/**
 * The printable diagnosis report: result, a chart of the three parts against their maximum
 * (with the previous diagnosis when there is one), the plan with how-to from the knowledge
 * base, every answer, and the basic policy draft. Plain HTML and inline SVG: it prints well
 * and needs nothing from the network.
 */
export function renderReportHtml(kb: KnowledgeBase, record: DiagnosisRecord, opts: { token: string; expiresAt: string; nonce: string }): string {
  const s = record.score;
  const data = kb.diagnosis;
  const p = record.profile;
  const day = (iso: string) => japaneseDate(new Date(iso));
  const answers = answersByNumber(record.answers);
  const comparison = comparisonLine(record);
  const question = (no: number) => data.items[no - 1]!.question;

  const plan = s.plan
    .map((step, i) => {
      const entry = kb.entry(step.topic);
      return `<li class="step">
  <h3>No.${step.no}（${esc(answerLabel(kb, record, step.no))}）${esc(step.action)}</h3>
  <p class="q">${esc(question(step.no))}</p>
  ${
    entry
      ? `<details${i < 3 ? ' open' : ''}><summary>やり方: ${esc(entry.title)}</summary>
    <p>${esc(entry.summary)}</p>
    <ol>${entry.steps.map((t) => `<li>${esc(t)}</li>`).join('')}</ol>
    <p class="src">出典: ${entry.sources.map((src) => esc(`${src.publisher}「${src.title}」${src.year ? `(${src.year})` : ''}`)).join('、')}</p>
  </details>`
      : ''
  }
</li>`;
    })
    .join('\n');

  const rows = data.items
    .map((it) => {
      const part = data.parts.find((x) => x.from <= it.no && it.no <= x.to)!;
      const a = answers[it.no];
      return `<tr class="a-${a ?? 'none'}"><td>${it.no}</td><td>${esc(part.title)}</td><td>${esc(it.question)}</td><td>${esc(answerLabel(kb, record, it.no))}</td></tr>`;
    })
    .join('\n');

  const policy = policyDraft(data, p, answers, new Date(record.finishedAt));

  return `${printableHead(`自社診断レポート${p.company ? ` — ${p.company}` : ''}`, `  h2 { font-size: 1.2rem; border-bottom: 2px solid #1f5fa8; padding-bottom: .2rem; margin-top: 2rem; }
  .total { font-size: 2.4rem; font-weight: bold; color: #1f5fa8; }
  .band { font-weight: bold; }
  .compare { font-size: 1.1rem; }
  .q { color: #555; font-size: .9rem; margin: 0; }
  .src { color: #666; font-size: .8rem; }
  .step { margin-bottom: 1rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; }
  td, th { border: 1px solid #ccc; padding: .3rem .4rem; vertical-align: top; }
  tr.a-not td:last-child, tr.a-unknown td:last-child { color: #b3261e; font-weight: bold; }
  tr.a-partly td:last-child { color: #8a5a00; }
  .draft { white-space: pre-wrap; border: 2px dashed #b3261e; padding: 1rem; background: #fffaf5; }
  .draft-label { color: #b3261e; font-weight: bold; }
  .actions { margin: 1rem 0; }
  .actions a, .actions button { font: inherit; margin-right: 1rem; }
  @media print { .actions { display: none; } details { display: block; } body { max-width: none; padding: 0; } h2 { break-after: avoid; } .step { break-inside: avoid; } }`)}
<body>
<h1>情報セキュリティ自社診断 レポート</h1>
<p class="meta">${esc(p.company ?? '（会社名なし）')}${p.prefecture ? `／${esc(p.prefecture)}` : ''}${p.industry ? `／${esc(p.industry)}` : ''}${p.employees ? `／従業員 ${esc(p.employees)}` : ''}<br>
診断日: ${day(record.finishedAt)}　このページは ${day(opts.expiresAt)} まで開けます。</p>
<div class="actions"><button type="button" id="print">印刷する</button><a href="${esc(opts.token)}/policy.txt" download>基本方針（下書き）をテキストで保存</a></div>

<h2>結果</h2>
<p><span class="total" data-testid="total">${s.total}点</span> ／ ${s.max}点満点${comparison ? `　<span class="compare" data-testid="compare">${esc(comparison)}</span>` : ''}</p>
<p class="band">${esc(s.band.label)}</p>
<p>${esc(s.band.advice)}</p>
${chart(s.parts, record.previous?.parts)}
${s.unknown.length ? `<h3>「わからない」と答えた項目（社内で確かめてください）</h3><ul>${s.unknown.map((n) => `<li>No.${n} ${esc(question(n))}</li>`).join('')}</ul>` : ''}

<h2>取り組む順番（計画）</h2>
${s.plan.length ? `<ol class="plan">${plan}</ol>` : '<p>実施していない項目はありません。</p>'}

<h2>SECURITY ACTION</h2>
<ul>${securityActionLines(s).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>

<h2>すべての回答</h2>
<table><thead><tr><th>No.</th><th>区分</th><th>診断内容</th><th>回答</th></tr></thead><tbody>
${rows}
</tbody></table>

<h2 id="policy">情報セキュリティ基本方針（下書き）</h2>
<p class="draft-label">これは下書きです。内容を確かめ、自社に合わせて直してから公開してください。</p>
<div class="draft" data-testid="policy">${esc(policy)}</div>

<h2>出典</h2>
<ul class="src">${data.sources.map((src) => `<li>${esc(`${src.publisher}「${src.title}」${src.year ? `(${src.year})` : ''}`)}</li>`).join('')}
<li>診断項目と配点: IPA「${esc(data.title)}」。点数帯の説明と計画の順番は、この窓口がまとめたものです。</li></ul>
<script nonce="${opts.nonce}">document.getElementById('print').addEventListener('click', () => window.print());</script>
</body>
</html>`;
}

/** Horizontal bars: each part's score against its maximum, the previous score as a thin mark. */
function chart(parts: { id: string; title: string; score: number; max: number }[], previous?: { id: string; score: number }[]): string {
  const width = 560;
  const labelW = 170;
  const barW = width - labelW - 90;
  const rowH = 38;
  const height = parts.length * rowH + (previous ? 26 : 8);
  const x = (v: number, max: number) => labelW + (Math.max(0, v) / max) * barW;
  const bars = parts
    .map((part, i) => {
      const y = i * rowH + 6;
      const before = previous?.find((q) => q.id === part.id);
      return `<g data-part="${esc(part.id)}">
  <text x="0" y="${y + 18}" font-size="14">${esc(part.title)}</text>
  <rect x="${labelW}" y="${y}" width="${barW}" height="24" fill="#e6edf5"/>
  <rect x="${labelW}" y="${y}" width="${x(part.score, part.max) - labelW}" height="24" fill="#1f5fa8"/>
  ${before ? `<rect x="${x(before.score, part.max) - 1}" y="${y - 3}" width="3" height="30" fill="#e08a00"/>` : ''}
  <text x="${labelW + barW + 8}" y="${y + 18}" font-size="14">${part.score}／${part.max}点</text>
</g>`;
    })
    .join('\n');
  const legend = previous
    ? `<text x="${labelW}" y="${height - 6}" font-size="12" fill="#555">青: 今回　橙の線: 前回</text>`
    : '';
  return `<svg role="img" aria-label="区分ごとの点数（満点に対する割合）" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
${bars}
${legend}
</svg>`;
}
