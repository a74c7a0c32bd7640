// Flow 4 (issues 7, 13; R: S11, K1-K9): a warranty repair whose cost is over the approval
// threshold is approved by the after-sales manager, then by the general manager (one person,
// one level); the general manager then opens the KPI dashboard and downloads its XLSX export.
// Set-up (as the admin, over RPC): a fresh repair waiting for its approvals each run.
import { check, flow } from './lib/odoo.mjs';
import { admin, repairOverThreshold, stamp } from './lib/demo.mjs';

const SERIAL = 'VMC850-26-0001';

await flow('manager', async (t) => {
    const rpc = await admin();
    const repair = await repairOverThreshold(rpc, SERIAL, `Spindle noise again (${stamp()})`);
    const [company] = await rpc.call('res.company', 'search_read', [[], ['aftersales_approval_threshold']], { limit: 1 });
    check(repair.internal_cost > company.aftersales_approval_threshold && repair.cost_over_threshold && !repair.validated,
        `set-up: ${repair.name} costs ${repair.internal_cost}, over the threshold of ${company.aftersales_approval_threshold}`);

    // The cost budget levels of repairs, named as the approver reads them (tier definitions).
    // found by their English names, shown in the user's language
    const levelIds = await rpc.call('tier.definition', 'search',
        [[['model', '=', 'mrp.repair'], ['name', 'like', 'Cost budget']]], { order: 'sequence' });
    const levels = (await rpc.call('tier.definition', 'read', [levelIds, ['name']],
        { context: { lang: t.lang } })).map((level) => level.name);
    check(levels.length === 2, `set-up: two cost budget levels (${levels.join(', ')})`);
    const fieldText = async (name) => (await t.fieldLocator(name).innerText()).trim();
    const alert = '.o_content .o_form_view .alert-warning';
    const openRepair = async () => {
        await t.step('open repair orders', () => t.clickMenu(t.tr('After-Sales'), t.tr('Units'), t.tr('Repair Orders')));
        await t.step('open the repair', async () => {
            await t.page.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: repair.name }).click();
            await t.waitIdle('.o_content .o_form_view .o_form_sheet');
        });
    };

    // Level 1: the after-sales manager
    let page = await t.loginBackend(await t.persona('manager'));
    await openRepair();
    check(await fieldText('tier_next_review') === levels[0],
        `the next approval is "${await fieldText('tier_next_review')}"`);
    await t.assertTranslated('repair waiting for approval');
    await t.screenshot('repair');
    await t.step('approve as after-sales manager', () => t.clickButton(t.tr('Validate'), alert));
    check(await fieldText('tier_next_review') === levels[1],
        `then the next approval is "${await fieldText('tier_next_review')}"`);
    check(!(await page.locator(`${alert} button:visible`).filter({ hasText: t.tr('Validate') }).count()),
        'the manager cannot approve the next level too');

    // Level 2: the general manager, another person (R: S11, issue 13)
    await page.goto(new URL('/web/session/logout', page.url()).href);
    page = await t.loginBackend(await t.persona('general_manager'));
    await openRepair();
    await t.step('approve as general manager', () => t.clickButton(t.tr('Validate'), alert));
    check(await page.locator('.o_content .o_form_view div[role="alert"].alert-success').isVisible(), `${repair.name} is approved`);
    check(!(await page.locator(`${alert}:visible`).count()), 'no approval left');
    await t.assertTranslated('approved repair');
    await t.screenshot('approved');
    const [stored] = await rpc.call('mrp.repair', 'read', [[repair.id], ['validated', 'review_ids']]);
    const reviews = await rpc.call('tier.review', 'read', [stored.review_ids, ['status', 'done_by']]);
    check(stored.validated && reviews.length === 2 && reviews.every((r) => r.status === 'approved')
        && new Set(reviews.map((r) => r.done_by[0])).size === 2, 'stored: approved at both levels, by two people');

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
