import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import type { Store } from '../../bot/store.js';
import { policyDraft } from '../../dialogs/diagnosis/policy.js';
import { DIAGNOSES, REPORTS, answersByNumber, type DiagnosisRecord, type ReportGrant } from '../../dialogs/diagnosis/record.js';
import { messagePage, openSecretLink } from './secret-link.js';
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
    const grant = await openSecretLink<ReportGrant>(deps.store, REPORTS, token, res, now(), {
      notFound: ['レポートが見つかりません', 'リンクが正しいか確かめてください。レポートのリンクは、診断を受けたチャットに表示されています。'],
      expired: ['このレポートの公開期間は終わりました', 'レポートのリンクは診断から30日間有効です。チャットでもう一度自社診断をすると、新しいレポートが作られます（前回との比較もつきます）。'],
    });
    if (!grant) return undefined;
    const record = await deps.store.documents<DiagnosisRecord>(DIAGNOSES).get(grant.diagnosisId);
    if (!record || record.org !== grant.org || record.conversationId !== grant.conversationId) {
      messagePage(res, 404, 'レポートが見つかりません', 'このレポートは削除されたか、まだ保存されていません。');
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
