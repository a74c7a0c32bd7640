// Flow 1 (issue 7; R: S1-S4, S9): the hotline takes a phone call about a unit, records the
// service request, triages it and dispatches an engineer on site.
// A new request each run (its subject carries the run's time), so the flow runs again on the
// same demo database.
import { check, flow, Rpc, ADMIN } from './lib/odoo.mjs';

const CUSTOMER = 'Suzhou Precision Parts Co., Ltd.';
const SERIAL = 'VMC850-26-0002';

await flow('dispatch', async (t) => {
    const engineer = await t.persona('engineer');
    const page = await t.loginBackend(await t.persona('hotline'));
    const subject = `Axis alarm after power dip (${new Date().toISOString().slice(0, 19)})`;

    await t.step('open service requests', () =>
        t.clickMenu(t.tr('After-Sales'), t.tr('Service Requests'), t.tr('Service Requests')));
    await t.assertTranslated('service request kanban');

    await t.step('record the phone call', async () => {
        await t.createRecord();
        check(await t.fieldLocator('channel').inputValue() === JSON.stringify('phone'),
            'a new request comes by phone');
        await page.locator('.o_content .o_form_view .alert-info').waitFor();  // the hotline greeting
        await t.fillField('title', subject);
        await t.fillMany2one('partner_id', 'Suzhou Precision', CUSTOMER);
        await t.fillMany2one('archive_id', SERIAL);
        await t.fillField('description',
            'X axis stops with servo alarm 401 after a short power dip; the operator restarted twice.');
        await t.assertTranslated('new service request form');
        await t.saveForm();
    });
    const reference = (await page.locator('.o_form_sheet h1').innerText()).trim();
    check(/\d/.test(reference) && reference !== '/', `the request got its reference ${reference}`);
    check((await t.statusbar()).value === 'new', `${reference} is ${(await t.statusbar()).text}`);
    check((await t.fieldLocator('product_id').innerText()).includes('VMC-850'),
        'the unit\'s product is shown');

    await t.step('triage', () => t.clickButton(t.tr('Triage')));
    let stage = await t.statusbar();
    check(stage.value === 'triage' && stage.text === t.tr('Triage'), `${reference} is in "${stage.text}"`);

    await t.step('open dispatch wizard', async () => {
        await t.clickButton(t.tr('Dispatch'));
        await t.waitIdle('.modal.in .o_form_view');
    });
    const dialog = '.modal.in';
    check((await page.locator(`${dialog} .modal-title`).innerText()).trim() === t.tr('Dispatch an Engineer'),
        'the dispatch wizard is open');
    check((await t.fieldLocator('contact_id', dialog).locator('input').inputValue()).includes('Wang Lei'),
        'the unit\'s contact is proposed');
    check((await t.fieldLocator('contact_phone', dialog).inputValue()).includes('138'),
        'the contact\'s phone is proposed');
    check((await t.fieldLocator('site_address', dialog).inputValue()).includes('Suzhou'),
        'the site address is proposed');
    const appointment = new Date();
    appointment.setUTCDate(appointment.getUTCDate() + 1);
    appointment.setUTCHours(1, 0, 0, 0);  // 09:00 in Suzhou
    await t.fillMany2one('engineer_id', 'E2E Field', engineer.name, dialog);
    await t.fillDatetime('appointment_date', appointment, dialog);
    await t.assertTranslated('dispatch wizard');
    await t.screenshot('wizard');
    await t.step('dispatch', async () => {
        await page.locator(`${dialog} .modal-footer button`).filter({ hasText: t.tr('Dispatch') }).click();
        await t.waitIdle('.modal.in', 'detached');
    });

    stage = await t.statusbar();
    check(stage.value === 'dispatched' && stage.text === t.tr('Dispatched'),
        `${reference} is "${stage.text}" after the dispatch`);
    check((await t.fieldLocator('engineer_id').innerText()).includes(engineer.name),
        `${engineer.name} is the engineer`);
    await t.clickText('.o_notebook .nav-tabs a', t.tr('Timeliness and Dispatch'));
    check((await t.fieldLocator('appointment_date').innerText()).trim() !== '', 'the appointment is shown');
    await t.assertTranslated('dispatched service request');
    await t.screenshot('ticket');

    // What the engineer gets: the site visit on their activities (read back as the admin).
    const admin = await new Rpc().login(ADMIN);
    const [ticket] = await admin.call('aftersales.ticket', 'search_read',
        [[['name', '=', reference]], ['state', 'engineer_id', 'arrival_deadline', 'activity_user_id']]);
    check(ticket.state === 'dispatched' && ticket.engineer_id[0] === engineer.uid && ticket.arrival_deadline,
        'stored: dispatched to the engineer with a promised arrival');
    check(ticket.activity_user_id && ticket.activity_user_id[0] === engineer.uid,
        'the engineer has the site visit among their activities');
});
