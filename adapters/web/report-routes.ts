import { Router, type Response } from 'express';
import type { Store } from '../../bot/store.js';
import { policyDraft } from '../../dialogs/diagnosis/policy.js';
import { DIAGNOSES, REPORTS, answersByNumber, type DiagnosisRecord, type ReportGrant } from '../../dialogs/diagnosis/record.js';
import { sendPrintablePage, sendTextDownload } from './printable-page.js';
import { openSecretLink, type SecretLinkKind } from './secret-link.js';
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

  const kind: SecretLinkKind<ReportGrant> = { grants: REPORTS, records: DIAGNOSES, recordId: (g) => g.diagnosisId };
  const find = (token: string, res: Response) =>
    openSecretLink<ReportGrant, DiagnosisRecord>(deps.store, kind, token, res, now(), {
      notFound: ['レポートが見つかりません', 'リンクが正しいか確かめてください。レポートのリンクは、診断を受けたチャットに表示されています。'],
      expired: ['このレポートの公開期間は終わりました', 'レポートのリンクは診断から30日間有効です。チャットでもう一度自社診断をすると、新しいレポートが作られます（前回との比較もつきます）。'],
      removed: ['レポートが見つかりません', 'このレポートは削除されたか、まだ保存されていません。'],
    });

  router.get('/reports/:token', async (req, res) => {
    const found = await find(req.params.token, res);
    if (!found) return;
    sendPrintablePage(res, (nonce) => renderReportHtml(deps.kb, found.record, { token: req.params.token, expiresAt: found.grant.expiresAt, nonce }));
  });

  router.get('/reports/:token/policy.txt', async (req, res) => {
    const found = await find(req.params.token, res);
    if (!found) return;
    const { record } = found;
    const text = policyDraft(deps.kb.diagnosis, record.profile, answersByNumber(record.answers), new Date(record.finishedAt));
    sendTextDownload(res, '情報セキュリティ基本方針_下書き.txt', 'security-policy-draft.txt', text);
  });

  return router;
}
