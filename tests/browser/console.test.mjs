// console.test.mjs: the staff console in headless Debian chromium (playwright-core) against a running gateway — login, four-eyes approval, refusal, records, CSV, disclosure, audit, システム管理, staff, logout, idle log-off.
//
// Run by tests/process/console_browser.sh, which starts the network and the gateways, registers the
// terminal certificate, creates the staff and passes everything in the environment:
//   CONSOLE_PHASE        main (everything but the time-out) or idle (the gateway restarted with a
//                        short chukan.console.idleTimeoutSeconds)
//   CONSOLE_URL          https://127.0.0.1:PORT of the gateway whose console is tested
//   CONSOLE_CERT/_KEY    the staff-terminal certificate and key (Playwright clientCertificates)
//   CONSOLE_ARTIFACTS    where screenshots and the CSV go
//   CONSOLE_STATE        a JSON file of the staff's current passwords, kept between the phases
//   CONSOLE_HELD_ATENA, CONSOLE_REFUSED_ATENA, CONSOLE_AUTO_ATENA  atena numbers of the held,
//                        refused and automatically answered residents (the provider's own numbers);
//                        one more held item stays pending (the operator's view of the queue)
//   CONSOLE_IDLE_SECONDS the idle time-out of the idle phase
// The server's certificate is checked against NODE_EXTRA_CA_CERTS (the test PKI's ca.pem).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const PHASE = env('CONSOLE_PHASE');
const BASE = env('CONSOLE_URL');
const ART = env('CONSOLE_ARTIFACTS');
const STATE_FILE = env('CONSOLE_STATE');
const NEW_PASSWORD = 'Kensa-Tanmatsu-2026!';
const VIEWPORT = { width: 1366, height: 768 };
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

fs.mkdirSync(ART, { recursive: true });
const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')); // {"passwords": {"rev.a": "…", …}, "mustChange": […]}
const shots = []; // every artifact written, in order
let shotNo = 0; // numbers the screenshots
let passed = 0;
const started = Date.now();

function ok(what) {
  passed++;
  console.log(`ok: ${what} [${((Date.now() - started) / 1000).toFixed(1)} s]`);
}

async function shot(page, name, opts = {}) {
  const file = path.join(ART, `${PHASE}-${String(++shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, ...opts });
  shots.push(file);
}

const pageProblems = [];
const openPages = new Map(); // label → page, for a screenshot of each when a step fails

/** Collects script errors and CSP violations (the console must run under default-src 'self'); checked at the end. */
function watch(page, label) {
  openPages.set(label, page);
  page.on('close', () => openPages.delete(label));
  page.on('pageerror', (e) => pageProblems.push(`${label}: script error: ${e.message}`));
  page.on('requestfailed', (r) => console.log(`  (${label}: request failed: ${r.url()} ${r.failure()?.errorText})`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`  (${label}: console ${m.type()}: ${m.text()})`);
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) {
      pageProblems.push(`${label}: CSP violation: ${m.text()}`);
    }
  });
}

async function newStaffPage(browser, label) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    acceptDownloads: true,
    clientCertificates: [{ origin: BASE, certPath: env('CONSOLE_CERT'), keyPath: env('CONSOLE_KEY') }],
  });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  watch(page, label);
  return { context, page };
}

/** No horizontal scroll bar at 1366×768: the document is no wider than the window. */
async function assertNoHorizontalScroll(page, screen) {
  const [scrollWidth, clientWidth] = await page.evaluate(() =>
    [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scrollWidth <= clientWidth, `${screen}: horizontal scroll at 1366×768 (${scrollWidth} > ${clientWidth})`);
}

/**
 * Logs in through the form. When the server requires a password change (one-time password after
 * creation, or expiry) the forced change screen must come first; it is done and remembered.
 * Returns whether the change was forced.
 */
async function login(page, loginId, { screenshot } = {}) {
  await page.goto(`${BASE}/console/`);
  await page.locator('#login-form').waitFor();
  if (screenshot) await shot(page, 'login');
  await page.fill('#login-id', loginId);
  await page.fill('#login-password', state.passwords[loginId]);
  const reply = page.waitForResponse((r) => r.url().endsWith('/console/api/login'));
  await page.click('#login-submit');
  const body = await (await reply).json();
  assert.equal(body.staff.loginId, loginId, `login reply for ${loginId}: ${JSON.stringify(body)}`);
  assert.ok(!('password' in body) && !JSON.stringify(body).includes(state.passwords[loginId]), 'the login reply echoes no password');
  if (body.passwordChangeRequired) {
    await page.locator('#password-form').waitFor();
    if (screenshot) await shot(page, 'forced-password-change');
    // Until the change, the menu offers nothing else.
    assert.deepEqual(await page.locator('#menu a').evaluateAll((as) => as.map((a) => a.dataset.route)), ['password']);
    await page.fill('#pw-current', state.passwords[loginId]);
    await page.fill('#pw-new', NEW_PASSWORD);
    await page.fill('#pw-again', NEW_PASSWORD);
    await page.click('#pw-submit');
    await page.locator('#password-form').waitFor({ state: 'detached' });
    state.passwords[loginId] = NEW_PASSWORD;
    fs.writeFileSync(STATE_FILE, JSON.stringify(state));
  }
  await page.locator('#who-staff').filter({ hasText: loginId }).waitFor();
  return { forced: !!body.passwordChangeRequired, reply: body };
}

async function menuRoutes(page) {
  return page.locator('#menu a').evaluateAll((as) => as.map((a) => a.dataset.route));
}

/** The pending hold about the given atena number (the queue shows no atena; the detail does). */
async function openHoldOf(page, atena) {
  await page.click('a[data-route="holds"]');
  await page.locator('#holds-table').waitFor();
  const ids = await page.locator('a[data-hold-id]').evaluateAll((as) => as.map((a) => a.dataset.holdId));
  for (const id of ids) {
    await page.goto(`${BASE}/console/#/hold/${encodeURIComponent(id)}`);
    // Wait for this hold's detail, not the previous one still on screen.
    const facts = page.locator('dl.facts', { hasText: id });
    await facts.waitFor();
    await page.locator('#hold-state').waitFor();
    if ((await facts.innerText()).includes(atena)) return id;
  }
  throw new Error(`no pending hold shows atena ${atena} (holds: ${ids.join(', ')})`);
}

async function phaseMain(browser) {
  const HELD = env('CONSOLE_HELD_ATENA');
  const REFUSED = env('CONSOLE_REFUSED_ATENA');
  const AUTO = env('CONSOLE_AUTO_ATENA');

  // --- reviewer A: forced password change, the queue, the first approval
  const a = await newStaffPage(browser, 'rev.a');
  const first = await login(a.page, 'rev.a', { screenshot: true });
  assert.ok(first.forced, 'a new account (one-time password) must change its password first');
  ok('rev.a logged in through the forced password change');
  assert.deepEqual(await menuRoutes(a.page), ['holds', 'records', 'password'], 'reviewer menu');
  await a.page.locator('#holds-table').waitFor();
  const headers = await a.page.locator('#holds-table th').allInnerTexts();
  for (const h of ['照会機関', '事務', '特定個人情報名', '受付日時', '期限']) assert.ok(headers.includes(h), `queue column ${h}: ${headers}`);
  assert.ok((await a.page.locator('#holds-table tbody tr').count()) >= 2, 'two holds in the queue');
  assert.ok((await a.page.locator('#holds-table').innerText()).includes('千葉市'), 'requester name in the queue');
  await assertNoHorizontalScroll(a.page, '保留審査');
  await shot(a.page, 'holds-queue');
  ok('保留 queue lists the holds with 照会機関, 事務, 特定個人情報名, 受付日時, 期限');

  const heldId = await openHoldOf(a.page, HELD);
  const payload = await a.page.locator('pre.payload').innerText();
  assert.ok(payload.includes('<回数>1</回数>'), `the detail shows what would be provided, unaltered: ${payload}`);
  await a.page.click('#provide');
  await a.page.click('#provide-confirm');
  await a.page.locator('#decision-result .message.ok').waitFor();
  assert.match(await a.page.locator('#decision-result').innerText(), /1人目の承認を記録しました/);
  assert.equal(await a.page.locator('#hold-state').getAttribute('data-state'), 'pending');
  await assertNoHorizontalScroll(a.page, '保留の詳細');
  await shot(a.page, 'hold-first-approval', { fullPage: true });
  ok(`rev.a approved ${heldId} first; it waits for a second reviewer`);

  // The same reviewer cannot approve twice: the button is off, and the API refuses it anyway.
  await a.page.reload();
  await a.page.locator('#provide').waitFor();
  assert.ok(await a.page.locator('#provide').isDisabled(), 'the first reviewer cannot press 提供 again');
  assert.match(await a.page.locator('#decision').innerText(), /同じ職員は2回承認できません/);
  const again = await a.page.evaluate(async (id) => {
    const s = await (await fetch('/console/api/session')).json();
    const r = await fetch(`/console/api/holds/${encodeURIComponent(id)}/decision`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
      body: JSON.stringify({ decision: 'provide' }) });
    return { status: r.status, body: await r.json() };
  }, heldId);
  assert.equal(again.status, 403, JSON.stringify(again));
  assert.equal(again.body.error, 'SAME_REVIEWER');
  // A POST without the CSRF header is refused.
  const noCsrf = await a.page.evaluate(async (id) => {
    const r = await fetch(`/console/api/holds/${encodeURIComponent(id)}/decision`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ decision: 'provide' }) });
    return { status: r.status, body: await r.json() };
  }, heldId);
  assert.equal(noCsrf.status, 403, JSON.stringify(noCsrf));
  assert.equal(noCsrf.body.error, 'CSRF_REJECTED');
  ok('the same reviewer cannot approve twice (button off, 403 SAME_REVIEWER); a POST without X-CSRF-Token is 403 CSRF_REJECTED');

  // --- reviewer B (another browser context): second approval, then a refusal with a reason
  const b = await newStaffPage(browser, 'rev.b');
  await login(b.page, 'rev.b');
  await b.page.locator('#holds-table').waitFor();
  assert.match(await b.page.locator('#holds-table').innerText(), /1人目承認済（rev\.a）/, 'the queue shows the first reviewer');
  await b.page.goto(`${BASE}/console/#/hold/${encodeURIComponent(heldId)}`);
  await b.page.locator('#provide').waitFor();
  assert.ok(!(await b.page.locator('#provide').isDisabled()), 'a second reviewer may approve');
  await b.page.click('#provide');
  await b.page.click('#provide-confirm');
  await b.page.locator('#decision-result .message.ok').waitFor();
  assert.equal(await b.page.locator('#hold-state').getAttribute('data-state'), 'approved');
  await shot(b.page, 'hold-second-approval', { fullPage: true });
  ok(`rev.b approved ${heldId} second: approved`);

  const refusedId = await openHoldOf(b.page, REFUSED);
  await b.page.click('#refuse');
  assert.match(await b.page.locator('#decision-result').innerText(), /理由を選択/, 'a refusal needs a reason');
  const reasons = await b.page.locator('#refuse-reason option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(reasons.length >= 1, 'reason codes offered');
  await b.page.selectOption('#refuse-reason', reasons[0]);
  await b.page.click('#refuse');
  await b.page.locator('#decision-result .message.ok').waitFor();
  assert.equal(await b.page.locator('#hold-state').getAttribute('data-state'), 'rejected');
  await shot(b.page, 'hold-refused', { fullPage: true });
  ok(`rev.b refused ${refusedId} with reason ${reasons[0]}`);
  await b.page.click('a[data-route="holds"]');
  await b.page.locator('.title-row .count').waitFor(); // the list itself, read again
  assert.ok(!(await b.page.locator('main').innerText()).includes(heldId), 'decided holds leave the queue');
  await b.context.close();
  await a.context.close();

  // --- operator: records search, paging, CSV export, disclosure report, logout
  const o = await newStaffPage(browser, 'ope.c');
  await login(o.page, 'ope.c');
  assert.deepEqual(await menuRoutes(o.page), ['holds', 'records', 'disclosure', 'password'], 'operator menu');
  // An operator sees the queue (the pending hold of CONSOLE_PENDING_ATENA) but gets no reviewer action.
  await o.page.locator('#holds-table').waitFor();
  assert.ok((await o.page.locator('#holds-table tbody tr').count()) >= 1, 'the operator sees the pending hold');
  assert.equal(await o.page.locator('a[data-hold-id]').count(), 0, 'no 詳細・審査 link for an operator');
  assert.match(await o.page.locator('main').innerText(), /審査担当者が行います/);
  await shot(o.page, 'holds-operator');
  const pendingId = await o.page.evaluate(async () => (await (await fetch('/console/api/holds')).json()).holds[0].holdId);
  await o.page.goto(`${BASE}/console/#/hold/${encodeURIComponent(pendingId)}`);
  await o.page.waitForURL(/#\/holds$/); // the detail is not a route for this role: back to the queue
  await o.page.locator('#holds-table').waitFor();
  assert.equal(await o.page.locator('#provide, #refuse, pre.payload').count(), 0, 'no 提供/拒否 and no content for an operator');
  const refusedToOperator = await o.page.evaluate(async (id) => {
    const s = await (await fetch('/console/api/session')).json();
    const view = await fetch(`/console/api/holds/${encodeURIComponent(id)}`);
    const decide = await fetch(`/console/api/holds/${encodeURIComponent(id)}/decision`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
      body: JSON.stringify({ decision: 'provide' }) });
    return { view: view.status, decide: decide.status, error: (await decide.json()).error };
  }, pendingId);
  assert.deepEqual(refusedToOperator, { view: 403, decide: 403, error: 'FORBIDDEN' }, 'the server refuses an operator the hold and the decision');
  ok('an operator sees the 保留 queue without reviewer actions; the server refuses the content and the decision (403 FORBIDDEN)');
  // システム管理 is not the operator's: no menu entry, and the server refuses jobs and statistics.
  assert.equal(await o.page.locator('a[data-route="system"]').count(), 0, 'no システム管理 entry for an operator');
  const systemToOperator = await o.page.evaluate(async () => {
    const jobs = await fetch('/console/api/jobs');
    const stats = await fetch('/console/api/stats');
    return { jobs: jobs.status, stats: stats.status, error: (await stats.json()).error };
  });
  assert.deepEqual(systemToOperator, { jobs: 403, stats: 403, error: 'FORBIDDEN' }, 'the server refuses an operator システム管理');
  ok('an operator has no システム管理 entry; /console/api/jobs and /console/api/stats answer 403 FORBIDDEN');
  await o.page.click('a[data-route="records"]');
  await o.page.locator('#records-form').waitFor();
  await o.page.selectOption('#rec-kind', 'provision');
  await o.page.click('#records-search');
  await o.page.locator('#records-table').waitFor();
  const table = await o.page.locator('#records-table').innerText();
  for (const atena of [HELD, REFUSED, AUTO]) assert.ok(table.includes(atena), `records list ${atena}`);
  assert.ok(table.includes('提供') && table.includes('拒否'), `outcomes 提供 and 拒否 in the records: ${table}`);
  assert.ok(!/[0-9a-f]{64}/.test(table), 'no 符号-like value is shown');
  assert.match(await o.page.locator('#records-range').innerText(), /全 \d+ 件中 1–\d+ 件/);
  await assertNoHorizontalScroll(o.page, '提供等記録');
  await shot(o.page, 'records');
  ok('提供等記録 search by kind shows provided and refused provisions');

  await o.page.fill('#rec-atena', REFUSED);
  await o.page.selectOption('#rec-outcome', 'refused');
  await o.page.click('#records-search');
  await o.page.locator('#records-table').waitFor();
  const narrow = await o.page.locator('#records-table tbody tr').allInnerTexts();
  assert.ok(narrow.length >= 1 && narrow.every((r) => r.includes(REFUSED) && r.includes('拒否')), `filtered rows: ${narrow}`);
  assert.ok(narrow.every((r) => !/REJECTED_/.test(r)), `the reason shows as Japanese text, not as its code: ${narrow}`);
  ok('search by 宛名番号 and outcome narrows to the refused record (reason in Japanese)');

  const download = o.page.waitForEvent('download');
  await o.page.click('#records-csv');
  const file = await download;
  const csvPath = path.join(ART, `${PHASE}-${file.suggestedFilename()}`);
  await file.saveAs(csvPath);
  shots.push(csvPath);
  assert.match(file.suggestedFilename(), /^records-\d{6}-\d{14}\.csv$/);
  const csv = fs.readFileSync(csvPath, 'utf8');
  assert.ok(csv.startsWith('\ufeffseq,kind,requester_code,provider_code,jimu_code,procedure_code,item_code,atena_no,'), `CSV header: ${csv.slice(0, 120)}`);
  const lines = csv.split('\r\n').filter(Boolean);
  assert.ok(lines.length >= 2 && lines.slice(1).every((l) => l.includes(REFUSED) && l.includes('refused')), `CSV rows: ${lines}`);
  ok(`CSV export downloaded ${file.suggestedFilename()} (${lines.length - 1} row(s), BOM, CRLF, the same filter)`);

  await o.page.click('a[data-route="disclosure"]');
  await o.page.fill('#disc-atena', HELD);
  await o.page.click('#disclosure-make');
  await o.page.locator('#disclosure-report').waitFor();
  const report = await o.page.locator('#disclosure-report').innerText();
  assert.ok(report.includes(HELD) && report.includes('千葉市') && report.includes('提供'), `disclosure report: ${report}`);
  await assertNoHorizontalScroll(o.page, '本人開示');
  await shot(o.page, 'disclosure', { fullPage: true });
  await o.page.emulateMedia({ media: 'print' });
  assert.ok(await o.page.locator('#menu').isHidden() && await o.page.locator('#disclosure-form').isHidden(),
    'the print stylesheet hides the menu and the form');
  assert.ok(await o.page.locator('#disclosure-report').isVisible(), 'the report is printed');
  await shot(o.page, 'disclosure-print', { fullPage: true });
  await o.page.emulateMedia({ media: 'screen' });
  ok('per-person disclosure report lists the provision to 千葉市 and prints without the console around it');

  await o.page.click('#logout');
  await o.page.locator('#login-notice').waitFor();
  assert.match(await o.page.locator('#login-notice').innerText(), /ログアウトしました/);
  const after = await o.context.request.get(`${BASE}/console/api/session`);
  assert.equal(after.status(), 401, 'after logout the session is gone');
  await shot(o.page, 'logged-out');
  ok('logout returns to the login screen; the session is refused afterwards');
  await o.context.close();

  // --- auditor: the audit log holds the decisions; the chain verifies
  const d = await newStaffPage(browser, 'aud.d');
  await login(d.page, 'aud.d');
  assert.deepEqual(await menuRoutes(d.page), ['records', 'disclosure', 'audit', 'system', 'password'], 'auditor menu');
  await d.page.click('a[data-route="audit"]');
  await d.page.fill('#audit-operation', 'hold.decide');
  await d.page.click('#audit-search');
  await d.page.locator('#audit-table').waitFor();
  const auditText = await d.page.locator('#audit-table').innerText();
  assert.ok(auditText.includes('rev.a') && auditText.includes('rev.b'), `both reviewers' decisions audited: ${auditText}`);
  await d.page.click('#audit-verify');
  await d.page.locator('#audit-verify-out .message').waitFor();
  assert.match(await d.page.locator('#audit-verify-out').innerText(), /正常/);
  await assertNoHorizontalScroll(d.page, '監査ログ');
  await shot(d.page, 'audit');
  ok('監査ログ shows both reviewers\' decisions; the hash chain verifies');

  // システム管理: the batch jobs and the statistics of today's exchanges (provisions to 千葉市, holds)
  await d.page.click('a[data-route="system"]');
  await d.page.locator('#stats-table').waitFor();
  await d.page.locator('#jobs-table, #jobs-results .message').first().waitFor();
  const statsHeaders = await d.page.locator('#stats-table th').allInnerTexts();
  for (const h of ['日付', '事務', '特定個人情報名', '相手機関', '結果', '件数']) assert.ok(statsHeaders.includes(h), `statistics column ${h}: ${statsHeaders}`);
  const statsRows = await d.page.locator('#stats-table tbody tr').allInnerTexts();
  assert.ok(statsRows.length >= 1, 'at least one statistics row');
  assert.ok(statsRows.some((r) => r.includes('1210020000000000') && r.includes('提供') && r.includes('TM00000000000002')),
    `a row of the provisions to 千葉市: ${statsRows}`);
  assert.match(await d.page.locator('#stats-totals').innerText(), /提供 [1-9]\d* 件、保留 [1-9]\d* 件/);
  const heldRows = await d.page.locator('#stats-holds-table tbody tr').allInnerTexts();
  assert.ok(heldRows.some((r) => r.includes('承認済')) && heldRows.some((r) => r.includes('拒否')), `held items by state: ${heldRows}`);
  assert.ok(!(await d.page.locator('main').innerText()).includes('000000000000702'), 'no 宛名番号 in the statistics');
  await assertNoHorizontalScroll(d.page, 'システム管理');
  await shot(d.page, 'system', { fullPage: true });
  ok(`システム管理 shows the jobs and ${statsRows.length} statistics row(s) with the provisions to 千葉市 and the held items`);
  await d.context.close();

  // --- administrator: the staff list; nothing else in the menu
  const e = await newStaffPage(browser, 'adm.e');
  await login(e.page, 'adm.e');
  assert.deepEqual(await menuRoutes(e.page), ['staff', 'system', 'password'], 'administrator menu');
  await e.page.locator('#staff-table').waitFor();
  const staffText = await e.page.locator('#staff-table').innerText();
  for (const id of ['rev.a', 'rev.b', 'ope.c', 'aud.d', 'adm.e']) assert.ok(staffText.includes(id), `staff list has ${id}`);
  await assertNoHorizontalScroll(e.page, '職員管理');
  await shot(e.page, 'staff');
  // The UI hides what the role may not do; the server refuses it too.
  const forbidden = await e.page.evaluate(async () => (await fetch('/console/api/records')).status);
  assert.equal(forbidden, 403, 'an administrator may not search records');
  ok('職員管理 lists the staff; the administrator is refused records');
  // An account added through the form shows its one-time password once; disabling it (異動) shows in the list.
  await e.page.fill('#staff-new-id', 'ope.f');
  await e.page.fill('#staff-new-name', '運用 六子');
  await e.page.selectOption('#staff-new-role', 'operator');
  await e.page.click('#staff-add');
  const otp = (await e.page.locator('#one-time-password').innerText()).trim();
  assert.ok(otp.length >= 12, `a one-time password is shown: ${otp.length} characters`);
  const added = e.page.locator('#staff-table tbody tr', { hasText: 'ope.f' });
  assert.match(await added.innerText(), /運用担当[\s\S]*パスワード変更待ち/);
  await shot(e.page, 'staff-added');
  await added.locator('select[aria-label="無効化の理由"]').selectOption('transfer');
  await added.getByRole('button', { name: '無効化', exact: true }).click();
  await e.page.locator('#staff-notice .message.ok', { hasText: 'ope.f を無効にしました' }).waitFor();
  assert.match(await e.page.locator('#staff-table tbody tr', { hasText: 'ope.f' }).innerText(), /無効（異動）/);
  assert.equal(await e.page.locator('#one-time-password').count(), 0, 'the one-time password is shown only once');
  ok('the administrator added ope.f (one-time password shown once, change required) and disabled it (異動)');
  await e.context.close();
}

async function phaseIdle(browser) {
  const idle = Number(env('CONSOLE_IDLE_SECONDS'));
  const o = await newStaffPage(browser, 'ope.c idle');
  const { reply } = await login(o.page, 'ope.c');
  assert.equal(reply.idleTimeoutSeconds, idle, 'the login reply carries the configured idle time-out');
  await o.page.click('a[data-route="records"]');
  await o.page.locator('#records-form').waitFor();
  assert.match(await o.page.locator('#idle-left').innerText(), /自動ログオフまで/);
  // Nothing is sent while the page sits idle; the log-off shows by itself once the time has passed.
  const calls = [];
  o.page.on('request', (r) => { if (r.url().includes('/console/api/')) calls.push(r.url()); });
  await o.page.locator('#session-timeout').waitFor({ timeout: (idle + 20) * 1000 });
  assert.match(await o.page.locator('#session-timeout').innerText(), /一定時間操作がなかったため、ログオフしました/);
  assert.ok(await o.page.locator('#login-form').isVisible(), 'back at the login screen');
  assert.ok(await o.page.locator('#menu').isHidden(), 'no menu after the time-out');
  assert.ok(calls.length <= 1, `at most the one check after the time-out, no polling: ${calls}`);
  await shot(o.page, 'idle-timeout');
  const after = await o.context.request.get(`${BASE}/console/api/session`);
  assert.equal(after.status(), 401, 'the timed-out session is refused');
  ok(`idle time-out (${idle} s): the console shows the log-off and returns to login; the server refuses the session`);
  await o.context.close();

  const d = await newStaffPage(browser, 'aud.d idle');
  await login(d.page, 'aud.d');
  await d.page.click('a[data-route="audit"]');
  await d.page.fill('#audit-operation', 'session.timeout');
  await d.page.click('#audit-search');
  await d.page.locator('#audit-table').waitFor();
  assert.ok((await d.page.locator('#audit-table').innerText()).includes('ope.c'), 'the time-out is audited');
  await shot(d.page, 'audit-timeout');
  ok('the automatic log-off is in the audit log (session.timeout)');
  await d.context.close();
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
let failed = 0;
try {
  if (PHASE === 'main') await phaseMain(browser);
  else if (PHASE === 'idle') await phaseIdle(browser);
  else throw new Error(`unknown CONSOLE_PHASE ${PHASE}`);
  assert.deepEqual(pageProblems, [], 'no script error or CSP violation in any page');
  ok('no script error or CSP violation in any page');
} catch (e) {
  failed = 1;
  console.error(`FAIL: ${e.stack || e}`);
  for (const [label, page] of openPages) {
    const file = path.join(ART, `${PHASE}-FAILED-${label.replace(/[^a-z0-9.]+/gi, '_')}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
      console.error(`  ${label} was at ${page.url()}: ${(await page.locator('main').innerText({ timeout: 2000 })).slice(0, 300)}`);
    } catch (err) {
      console.error(`  (no screenshot of ${label}: ${err.message})`);
    }
  }
} finally {
  await browser.close();
}
console.log(`artifacts (${PHASE}):`);
for (const s of shots) console.log(`  ${s}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
