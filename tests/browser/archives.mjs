// Flow 1 and 2 (issue 7; R: A1 archive per delivered unit, A4 packing list): a manager opens
// After-Sales > Units > Unit Archives, finds the demo archives, opens one and its packing list.
// In English it is the admin; in another language a manager whose language it is, and every
// label of ours on the visited screens must be translated.
import { check, flow } from './lib/odoo.mjs';

const DEMO_ARCHIVES = ['ARC/2026/00001', 'ARC/2026/00002', 'ARC/2026/00003'];
const DEMO_CUSTOMERS = ['Suzhou Precision Parts', 'Ningbo Mould Works'];

await flow('archives', async (t) => {
    const user = t.lang === 'en_US' ? t.admin : await t.persona('manager');
    const page = await t.loginBackend(user);

    await t.step('open Unit Archives list', () =>
        t.clickMenu(t.tr('After-Sales'), t.tr('Units'), t.tr('Unit Archives')));
    await page.waitForSelector('.o_list_view tbody tr.o_data_row');
    check(await page.locator('.breadcrumb').innerText() === t.tr('Unit Archives'),
        `breadcrumb reads "${t.tr('Unit Archives')}"`);
    const headers = (await page.locator('.o_list_view thead th').allInnerTexts()).map((s) => s.trim());
    for (const label of ['Serial Number', 'Product', 'Customer', 'Delivery Date']) {
        check(headers.includes(t.tr(label)), `list column "${t.tr(label)}"`);
    }
    const rows = await page.locator('.o_list_view tbody tr.o_data_row').allInnerTexts();
    for (const name of DEMO_ARCHIVES) {
        check(rows.some((row) => row.includes(name)), `demo archive ${name} listed`);
    }
    for (const customer of DEMO_CUSTOMERS) {
        check(rows.some((row) => row.includes(customer)), `demo customer ${customer} listed`);
    }
    await t.assertTranslated('archive list');
    await t.screenshot('list');

    await t.step('open archive form', async () => {
        await page.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: DEMO_ARCHIVES[0] }).click();
        await t.waitIdle('.o_form_view .o_form_sheet');
    });
    check((await page.locator('.o_form_sheet h1').innerText()).includes(DEMO_ARCHIVES[0]),
        `form of ${DEMO_ARCHIVES[0]} open`);
    const labels = (await page.locator('.o_form_sheet label.o_form_label').allInnerTexts()).map((s) => s.trim());
    for (const label of ['Serial Number', 'Customer', 'Delivery Date', 'Commissioning Date']) {
        check(labels.includes(t.tr(label)), `form label "${t.tr(label)}"`);
    }
    await t.assertTranslated('archive form');
    await t.screenshot('form');

    await t.step('open packing list tab', async () => {
        await t.clickText('.o_notebook .nav-tabs a', t.tr('Packing List'));
        await page.waitForSelector('.o_notebook .tab-pane.active .o_list_view tbody tr.o_data_row');
    });
    const packed = await page.locator('.o_notebook .tab-pane.active .o_list_view tbody tr.o_data_row').allInnerTexts();
    check(packed.length > 0, `packing list shows ${packed.length} line(s)`);
    await t.assertTranslated('packing list tab');
    await t.screenshot('packing-list');
});
