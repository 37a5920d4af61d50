import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import type { Store } from '../../bot/store.js';
import { policyDraft } from '../../dialogs/diagnosis/policy.js';
import { DIAGNOSES, REPORTS, REPORT_TOKEN, answersByNumber, reportKey, type DiagnosisRecord, type ReportGrant } from '../../dialogs/diagnosis/record.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { renderReportHtml } from './report-html.js';

/**
 * `/reports/:token` (the printable diagnosis report) and `/reports/:token/policy.txt` (the
 * basic policy draft as a download). The token in the URL is the only key: it is random,
 * stored hashed, bound to one diagnosis of one conversation, and refused after its expiry.
 */
export function reportRoutes(deps: { store: Store; kb: KnowledgeBase; clock?: () => Date }): Router {
  const router = Router();
  const now = deps.clock ?? (() => new Date());

  async function find(token: string, res: Response): Promise<{ record: DiagnosisRecord; grant: ReportGrant } | undefined> {
    // The URL is a secret: keep it out of Referer headers, caches and search engines.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    const grant = REPORT_TOKEN.test(token) ? await deps.store.documents<ReportGrant>(REPORTS).get(reportKey(token)) : null;
    if (!grant) {
      page(res, 404, 'レポートが見つかりません', 'リンクが正しいか確かめてください。レポートのリンクは、診断を受けたチャットに表示されています。');
      return undefined;
    }
    if (Date.parse(grant.expiresAt) <= now().getTime()) {
      page(res, 410, 'このレポートの公開期間は終わりました', 'レポートのリンクは診断から30日間有効です。チャットでもう一度自社診断をすると、新しいレポートが作られます（前回との比較もつきます）。');
      return undefined;
    }
    const record = await deps.store.documents<DiagnosisRecord>(DIAGNOSES).get(grant.diagnosisId);
    if (!record || record.org !== grant.org || record.conversationId !== grant.conversationId) {
      page(res, 404, 'レポートが見つかりません', 'このレポートは削除されたか、まだ保存されていません。');
      return undefined;
    }
    return { record, grant };
  }

  router.get('/reports/:token', async (req, res) => {
    const found = await find(req.params.token, res);
    if (!found) return;
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'`);
    res.type('html').send(renderReportHtml(deps.kb, found.record, { token: req.params.token, expiresAt: found.grant.expiresAt, nonce }));
  });

  router.get('/reports/:token/policy.txt', async (req, res) => {
    const found = await find(req.params.token, res);
    if (!found) return;
    const { record } = found;
    const text = policyDraft(deps.kb.diagnosis, record.profile, answersByNumber(record.answers), new Date(record.finishedAt));
    res.setHeader('Content-Disposition', `attachment; filename="security-policy-draft.txt"; filename*=UTF-8''${encodeURIComponent('情報セキュリティ基本方針_下書き.txt')}`);
    // CRLF and a BOM: the file opens cleanly in Windows Notepad, which most SME offices use.
    res.type('text/plain; charset=utf-8').send('\ufeff' + text.replace(/\n/g, '\r\n'));
  });

  return router;
}

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.7"><h1 style="font-size:1.3rem">${title}</h1><p>${body}</p></body></html>`);
}
