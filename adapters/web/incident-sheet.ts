import { Router, type Response } from 'express';
import { japanTime } from '../../bot/hours.js';
import { japaneseDay } from '../../bot/japanese-date.js';
import type { Store } from '../../bot/store.js';
import { INCIDENTS, INCIDENT_SHEETS, SEVERITY_LABEL, type IncidentRecord, type Referral, type SheetGrant } from '../../dialogs/incident/record.js';
import { PPC_VERDICT, factLines, sheetText } from '../../dialogs/incident/sheet.js';
import { escapeHtml as esc } from '../http/html.js';
import { printableHead, sendPrintablePage, sendTextDownload } from './printable-page.js';
import { openSecretLink, type SecretLinkKind } from './secret-link.js';

/**
 * `/incidents/:token` (the printable incident sheet) and `/incidents/:token/sheet.txt` (the
 * same as text to paste into a mail or a form). What the user hands to the police, the お助け隊
 * provider or the insurer. The token is the only key, as for the diagnosis report.
 */
export function incidentSheetRoutes(deps: { store: Store; clock?: () => Date }): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());

  const kind: SecretLinkKind<SheetGrant> = { grants: INCIDENT_SHEETS, records: INCIDENTS, recordId: (g) => g.incidentId };
  const find = (token: string, res: Response) =>
    openSecretLink<SheetGrant, IncidentRecord>(deps.store, kind, token, res, now(), {
      notFound: ['シートが見つかりません', 'リンクが正しいか確かめてください。シートのリンクは、相談したチャットに表示されています。'],
      expired: ['このシートの公開期間は終わりました', 'インシデント連絡シートのリンクは作成から30日間有効です。必要なときは、チャットで「状況を整理したい」と送ると作り直せます。'],
      removed: ['シートが見つかりません', 'このシートは削除されたか、まだ保存されていません。'],
    });

  router.get('/incidents/:token', async (req, res) => {
    const found = await find(req.params.token, res);
    if (!found) return;
    sendPrintablePage(res, (nonce) => renderSheetHtml(found.record, { token: req.params.token, expiresAt: found.grant.expiresAt, nonce }), "; frame-ancestors 'none'");
  });

  router.get('/incidents/:token/sheet.txt', async (req, res) => {
    const found = await find(req.params.token, res);
    if (found) sendTextDownload(res, 'インシデント連絡シート.txt', 'incident-sheet.txt', sheetText(found.record));
  });
  return router;
}

const day = (iso: string) => japaneseDay(japanTime(new Date(iso)).date);

/** A contact line as HTML: phone numbers, e-mail addresses and web addresses become links. */
function linkify(line: string): string {
  return esc(line)
    .replace(/https?:\/\/[^\s（）()、]+/g, (u) => `<a href="${u}" rel="noreferrer noopener">${u}</a>`)
    .replace(/(?<![\w/.-])([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g, (m) => `<a href="mailto:${m}">${m}</a>`)
    .replace(/(?<![\d-])(0\d{1,4}-\d{1,4}-\d{3,4}|#\d{4})(?![\d-])/g, (m) => `<a href="tel:${m.replace(/-/g, '').replace('#', '%23')}">${m}</a>`);
}

function referralHtml(r: Referral, i: number): string {
  const deadlines = (r.deadlines ?? [])
    .map((d) => `<li class="deadline"><strong>${esc(d.label)}: ${esc(japaneseDay(d.date))}${d.to ? `〜${esc(japaneseDay(d.to))}` : ''}まで</strong></li>`)
    .join('');
  return `<li class="referral" data-target="${esc(r.target)}">
  <h3>${i + 1}. ${esc(r.title)}</h3>
  <p>${esc(r.why)}</p>
  <ul>${r.contact.map((c) => `<li>${linkify(c)}</li>`).join('')}${deadlines}</ul>
  ${r.bring?.length ? `<p class="bring">用意するもの・伝えること: ${r.bring.map(esc).join(' ／ ')}</p>` : ''}
</li>`;
}

export function renderSheetHtml(record: IncidentRecord, opts: { token: string; expiresAt: string; nonce: string }): string {
  const text = sheetText(record);
  return `${printableHead(`インシデント連絡シート${record.company ? ` — ${record.company}` : ''}`, `  h2 { font-size: 1.15rem; border-bottom: 2px solid #b3261e; padding-bottom: .2rem; margin-top: 1.6rem; }
  .severity { font-size: 1.3rem; font-weight: bold; }
  .severity.high { color: #b3261e; } .severity.medium { color: #8a5a00; } .severity.low { color: #1f5fa8; }
  .said { white-space: pre-wrap; border-left: 4px solid #ccc; padding-left: .8rem; color: #333; }
  .referrals { padding-left: 0; list-style: none; }
  .referral { border: 1px solid #ccc; border-radius: 6px; padding: .6rem .9rem; margin-bottom: .8rem; break-inside: avoid; }
  .deadline { color: #b3261e; }
  .bring { font-size: .9rem; color: #333; }
  textarea { width: 100%; min-height: 12rem; font: inherit; font-size: .85rem; }
  .actions { margin: 1rem 0; display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; }
  .actions a, .actions button { font: inherit; }
  .note { font-size: .85rem; color: #555; }
  @media print { .actions, .copy { display: none; } body { max-width: none; padding: 0; } h2 { break-after: avoid; } }`)}
<body>
<h1>インシデント連絡シート</h1>
<p class="meta">${record.company ? `${esc(record.company)}<br>` : ''}作成: ${esc(day(record.finishedAt))}　このページは ${esc(day(opts.expiresAt))} まで開けます。</p>
<div class="actions"><button type="button" id="print">印刷する</button><a href="${esc(opts.token)}/sheet.txt" download>テキストで保存</a></div>

<h2>何が起きたか</h2>
<p><strong>${esc(record.topicTitle)}</strong></p>
${record.userSaid.length ? `<div class="said" data-testid="said">${record.userSaid.map((s) => esc(s)).join('\n')}</div>` : ''}

<h2>状況</h2>
<ul data-testid="facts">${factLines(record.answers).map((l) => `<li>${esc(l)}</li>`).join('') || '<li>（質問はスキップされました）</li>'}</ul>

<h2>重大度</h2>
<p><span class="severity ${record.severity}" data-testid="severity">${esc(SEVERITY_LABEL[record.severity])}</span>　${esc(record.severityReason)}</p>

${record.ppc ? `<h2>個人情報保護委員会への報告</h2>
<p data-testid="ppc"><strong>${esc(PPC_VERDICT[record.ppc.verdict])}</strong>　${esc(record.ppc.reason)}</p>
` : ''}
<h2>連絡先と期限（上から順に）</h2>
<ol class="referrals">${record.referrals.map(referralHtml).join('\n')}</ol>

<section class="copy">
<h2>コピー用のテキスト</h2>
<p class="note">メールや警察・保険会社の受付フォームに貼り付けられます。</p>
<textarea id="sheet-text" readonly aria-label="シートの内容（テキスト）">${esc(text)}</textarea>
<p><button type="button" id="copy">テキストをコピー</button> <span id="copied" role="status"></span></p>
</section>
<p class="note">このシートは、セキュリティ相談窓口のチャットでの聞き取りをもとに作ったものです。分かった範囲の内容で、法的な判断をするものではありません。</p>
<script nonce="${opts.nonce}">
document.getElementById('print').addEventListener('click', () => window.print());
document.getElementById('copy').addEventListener('click', async () => {
  const area = document.getElementById('sheet-text');
  try { await navigator.clipboard.writeText(area.value); } catch { area.select(); document.execCommand('copy'); }
  document.getElementById('copied').textContent = 'コピーしました';
});
</script>
</body>
</html>`;
}
