// Flow 4 (issue 7; R: S11, K1-K9): the service director approves a warranty repair whose cost
// is over the approval threshold, at both levels of the demo (after-sales manager, general
// manager); then opens the KPI dashboard and downloads its XLSX export.
// Set-up (as the admin, over RPC): a fresh repair waiting for its approvals each run.
import { check, flow } from './lib/odoo.mjs';
import { admin, repairOverThreshold, stamp } from './lib/demo.mjs';

const SERIAL = 'VMC850-26-0001';

await flow('manager', async (t) => {
    const rpc = await admin();
    const repair = await repairOverThreshold(rpc, SERIAL, `Spindle noise again (${stamp()})`);
    const [company] = await rpc.call('res.company', 'search_read', [[], ['aftersales_approval_threshold']], { limit: 1 });
    check(repair.internal_cost > company.aftersales_approval_threshold && repair.approval_state === 'pending',
        `set-up: ${repair.name} costs ${repair.internal_cost}, over the threshold of ${company.aftersales_approval_threshold}`);

    // The demo's approval levels, named as the approver reads them (configuration data).
    const levels = (await rpc.call('aftersales.approval.level', 'search_read', [[], ['name']],
        { context: { lang: t.lang } })).map((level) => level.name);
    check(levels.length === 2, `set-up: two approval levels (${levels.join(', ')})`);
    const page = await t.loginBackend(await t.persona('approver'));
    await t.step('open repair orders', () => t.clickMenu(t.tr('After-Sales'), t.tr('Units'), t.tr('Repair Orders')));
    await t.step('open the repair', async () => {
        await page.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: repair.name }).click();
        await t.waitIdle('.o_content .o_form_view .o_form_sheet');
    });
    const fieldText = async (name) => (await t.fieldLocator(name).innerText()).trim();
    check(await fieldText('approval_state') === t.tr('Waiting for Approval'),
        `${repair.name} shows "${await fieldText('approval_state')}"`);
    check(await fieldText('next_approval') === levels[0],
        `the next approval is "${await fieldText('next_approval')}"`);
    await t.assertTranslated('repair waiting for approval');
    await t.screenshot('repair');

    await t.step('approve as after-sales manager', () => t.clickButton(t.tr('Approve')));
    check(await fieldText('next_approval') === levels[1],
        `then the next approval is "${await fieldText('next_approval')}"`);
    await t.step('approve as general manager', () => t.clickButton(t.tr('Approve')));
    check(await fieldText('approval_state') === t.tr('Approved'), `${repair.name} is "${await fieldText('approval_state')}"`);
    check(!(await t.page.locator('.o_form_statusbar button:visible').filter({ hasText: t.tr('Approve') }).count()),
        'no approval button left');
    await t.clickText('.o_notebook .nav-tabs a', t.tr('Approvals'));
    const approvals = await page.locator('.o_notebook .tab-pane.active .o_list_view tbody tr.o_data_row').allInnerTexts();
    check(approvals.length === 2, `the approvals tab lists ${approvals.length} approvals`);
    await t.assertTranslated('approved repair');
    await t.screenshot('approved');
    const [stored] = await rpc.call('mrp.repair', 'read', [[repair.id], ['approval_state', 'approval_ids']]);
    check(stored.approval_state === 'approved' && stored.approval_ids.length === 2, 'stored: approved at both levels');

    await t.step('open the KPI dashboard', () => t.clickMenu(t.tr('After-Sales'), t.tr('Reporting'), t.tr('KPI Dashboard')));
    await t.waitIdle('.o_content .o_form_view');
    const labels = (await page.locator('.o_content .o_form_view label').allInnerTexts()).map((s) => s.trim());
    for (const label of ['Service Timeliness (%)', 'Training Pass Rate (%)', 'Service Requests', 'Complaints']) {
        check(labels.includes(t.tr(label)), `dashboard shows "${t.tr(label)}"`);
    }
    const requests = Number((await fieldText('k8_actual')).replace(/[^\d]/g, ''));
    check(requests > 0, `the dashboard counts ${requests} service requests this year`);
    await t.assertTranslated('KPI dashboard');
    await t.step('export XLSX', () => t.clickButton(t.tr('Export XLSX')));
    const ready = page.locator('.o_content .o_aftersales_kpi_export');
    check(await ready.isVisible() && (await ready.innerText()).includes('.xlsx'), 'the dashboard offers the XLSX file');
    check(!(await page.locator('.o_form_statusbar button:disabled').count()), 'the dashboard\'s buttons work again');
    await t.assertTranslated('KPI dashboard with its export');
    await t.screenshot('dashboard');
    const xlsx = await t.step('download XLSX', () => t.download('kpis', () => ready.locator('a').first().click()));
    check(/^aftersales_kpis_.*\.xlsx$/.test(xlsx.filename), `the browser downloads ${xlsx.filename}`);
});
