// Issue 7, long-running actions: the administrator runs our scheduled jobs by hand
// (Settings > Technical > Automation > Scheduled Actions > Run Manually) and waits for each;
// the steps' durations are what the wrapper reports. Technical screens: the admin, in English.
import { check, flow } from './lib/odoo.mjs';

const JOBS = [
    'After-Sales: plan due return visits',
    'After-Sales: warranty expiry reminders and renewals',
    'After-Sales: remind overdue core returns',
];

await flow('jobs', async (t) => {
    const page = await t.loginBackend(t.admin);
    await t.step('open scheduled actions', async () => {
        await page.goto(`${t.baseUrl}/web?debug=1#action=base.ir_cron_act`);
        await t.waitIdle('.o_content .o_list_view');
    });
    for (const job of JOBS) {
        await page.fill('.o_searchview_input', job);
        await page.keyboard.press('Enter');
        await t.waitIdle();
        const row = page.locator('.o_list_view tbody tr.o_data_row').filter({ hasText: job });
        await row.first().waitFor();
        await row.first().click();
        await t.waitIdle('.o_content .o_form_view');
        await t.step(`run "${job}"`, () => t.clickButton('Run Manually'));
        check(!(await page.locator('.modal.in .o_dialog_warning, .modal.in .o_error_detail').count()),
            `"${job}" ran without an error`);
        await t.screenshot(job.replace(/^After-Sales: /, '').replace(/\W+/g, '-'));
        await page.locator('.breadcrumb li a').first().click();
        await t.waitIdle('.o_content .o_list_view');
        await page.locator('.o_searchview .o_facet_remove').first().click().catch(() => {});
        await t.waitIdle();
    }
});
