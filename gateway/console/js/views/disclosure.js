// disclosure.js: the per-person disclosure report (情報提供等記録の開示) for a resident's own request — on screen, then printed with css/print.css.

import * as api from '../api.js';
import { h, replace, table, code, fmtTime, field, message } from '../dom.js';
import { OUTCOME } from '../labels.js';

let lastAtena = '';

function counterpart(r) {
  const name = r.kind === 'provision' ? r.requesterName : r.providerName;
  const c = r.kind === 'provision' ? r.requesterCode : r.providerCode;
  return [h('div', null, name || '（名称不明）'), code(c)];
}

function kindText(kind) {
  if (kind === 'provision') return '提供（当団体から相手機関へ）';
  if (kind === 'inquiry') return '照会（相手機関から当団体へ）';
  return kind;
}

function report(r) {
  return h('article', { class: 'report', id: 'disclosure-report' },
    h('h2', { class: 'report-title' }, '情報提供等記録 開示書'),
    h('p', { class: 'report-lead' },
      'あなたの特定個人情報について、当団体の中間サーバーに記録された情報照会・情報提供の記録は次のとおりです。'),
    h('dl', { class: 'facts report-facts' },
      h('dt', null, '宛名番号'), h('dd', null, code(r.atenaNo)),
      h('dt', null, '団体'), h('dd', null, `${r.tenant}（機関コード ${r.institutionCode}）`),
      h('dt', null, '作成日時'), h('dd', null, fmtTime(r.generatedAt)),
      h('dt', null, '作成者'), h('dd', null, r.generatedBy),
      h('dt', null, '件数'), h('dd', { id: 'disclosure-count' }, `${(r.records || []).length} 件`)),
    (r.records || []).length === 0
      ? h('p', null, '開示の対象となる記録はありません。')
      : table(['番号', '区分', '相手機関', '事務', '特定個人情報名', '照会日時', '提供日時', '結果'],
        r.records.map((x, i) => ({ ...x, n: i + 1 })), (x) => [
          String(x.n), kindText(x.kind), counterpart(x), code(x.jimuCode), code(x.itemCode),
          fmtTime(x.requestedAt), fmtTime(x.providedAt), OUTCOME[x.outcome] || x.outcome,
        ], { class: 'data dense', id: 'disclosure-table' }),
    h('p', { class: 'report-foot' }, '本書は行政手続における特定の個人を識別するための番号の利用等に関する法律に基づく開示です。'));
}

export async function render(main, ctx) {
  const out = h('div', { id: 'disclosure-out', 'aria-live': 'polite' });
  const atena = h('input', { id: 'disc-atena', name: 'atena', inputmode: 'numeric', maxlength: 15, size: 17,
    placeholder: '15桁', value: lastAtena, required: true });
  const form = h('form', { class: 'search-form no-print', id: 'disclosure-form', novalidate: true },
    field('宛名番号', atena),
    h('div', { class: 'form-buttons' },
      h('button', { type: 'submit', class: 'button-primary', id: 'disclosure-make' }, '開示書を作成')));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = atena.value.trim();
    if (!/^\d{15}$/.test(v)) {
      replace(out, message('error', '宛名番号は15桁の数字で入力してください。'));
      return;
    }
    lastAtena = v;
    replace(out, h('p', { class: 'loading' }, '作成中…'));
    try {
      const r = await api.get(`disclosure${api.query({ atena: v })}`);
      if (!ctx.alive()) return;
      replace(out,
        h('div', { class: 'no-print toolbar' },
          r.withheld > 0
            ? message('warn', `不開示（番号法第23条）の記録 ${r.withheld} 件を除外しています。この注記は印刷されません。`)
            : null,
          h('button', { type: 'button', class: 'button-primary', id: 'disclosure-print', onclick: () => window.print() }, '印刷')),
        report(r));
    } catch (e) {
      if (e.status === 401 || !ctx.alive()) return;
      replace(out, message('error', e.message, e.serverMessage ? `（${e.serverMessage}）` : ''));
    }
  });

  replace(main, h('section', null,
    h('h1', { class: 'no-print' }, '本人開示（情報提供等記録）'),
    h('p', { class: 'muted no-print' },
      '住民本人からの開示請求に応じ、その方の情報を誰に提供し、誰から取得したかの記録を作成します。保留中の記録と不開示の記録は含みません。'),
    form, out));
  atena.focus();
}
