// Flow 2 (issue 7; R: S5-S7, A7): the engineer on site opens a service record for the request
// he was dispatched to, fills in the work and the test, hands the tablet to the customer, who
// draws the signature on the signing page; the engineer prints the PDF (维护记录单).
// Set-up (as the admin, over RPC): a fresh request with this run's engineer on site.
import { check, flow } from './lib/odoo.mjs';
import { admin, stamp, ticketOnSite } from './lib/demo.mjs';

const SERIAL = 'VMC850-26-0002';
const SIGNER = 'Wang Lei';

await flow('service_record', async (t) => {
    const engineer = await t.persona('engineer');
    const rpc = await admin();
    const ticket = await ticketOnSite(rpc, SERIAL, engineer.uid, `Clamping pressure drop (${stamp()})`);
    check(ticket.name && ticket.name !== '/', `set-up: ${ticket.name} has the engineer on site`);

    const page = await t.loginBackend(engineer);
    await t.step('open service records', () => t.clickMenu(t.tr('After-Sales'), t.tr('Service Records')));
    await t.step('new service record for the request', async () => {
        await t.createRecord();
        await t.fillMany2one('ticket_id', ticket.name);
    });
    check((await t.fieldLocator('archive_id').locator('input').inputValue()).includes(SERIAL),
        `the request's unit ${SERIAL} is filled in`);
    check((await t.fieldLocator('partner_id').locator('input').inputValue()).includes('Suzhou'),
        'the customer is filled in');
    await t.fillField('work_done',
        'Clamping cylinder seal worn: replaced the seal kit, bled the hydraulic circuit, set 45 bar.');
    await t.checkRadio('test_result', 'passed');
    await t.fillField('test_notes', 'Roughing cycle run three times, pressure stable at 45 bar.');
    await t.fillField('hazards', 'None found.');
    await t.assertTranslated('service record form');
    await t.step('save the service record', () => t.saveForm());
    const reference = (await page.locator('.o_form_sheet h1').innerText()).trim();
    check(reference && reference !== '/', `the record got its reference ${reference}`);
    // issue 13: the arrival is stamped by the engineer's button, the departure by "Ready to Sign"
    await t.step('arrived on site', () => t.clickButton(t.tr('Arrived on Site')));

    await t.step('ready to sign', () => t.clickButton(t.tr('Ready to Sign')));
    let stage = await t.statusbar();
    check(stage.value === 'to_sign' && stage.text === t.tr('To Sign'), `${reference} is "${stage.text}"`);
    await t.screenshot('form');

    await t.step('open the signing page', async () => {
        await Promise.all([page.waitForNavigation(), t.clickButton(t.tr('Sign on Tablet'))]);
        await page.waitForSelector('#o_portal_signature canvas');
    });
    check(page.url().includes('/sign?access_token='), 'the signing page opens with the record\'s token');
    check((await page.locator('#o_portal_sign_name').inputValue()) === SIGNER,
        `the signer's name is proposed (${SIGNER})`);
    check((await page.locator('.panel-body').first().innerText()).includes('45 bar'),
        'the customer reads the work performed');
    await t.drawSignature();
    await t.assertTranslated('signing page', { portal: true });
    await t.screenshot('signing');
    await t.step('customer signs', async () => {
        await page.locator('.o_portal_sign_submit').click();
        await page.waitForSelector('#o_portal_sign_accept ~ .alert-success, .alert-success');
    });

    const [record] = await rpc.call('aftersales.service.record', 'search_read',
        [[['name', '=', reference]], ['id', 'state', 'signer_name', 'signature', 'signed_on']]);
    const png = Buffer.from(record.signature || '', 'base64');
    check(record.state === 'signed' && record.signer_name === SIGNER && record.signed_on,
        `stored: ${reference} signed by ${record.signer_name}`);
    check(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && png.length > 1000,
        `stored: the drawn signature is a PNG image (${png.length} bytes)`);
    const [after] = await rpc.call('aftersales.ticket', 'read', [[ticket.id], ['state']]);
    check(after.state === 'done', `the signature ends the on-site work of ${ticket.name} (${after.state})`);

    await t.step('back to the signed record', async () => {
        const menu = await rpc.xmlid('aftersales_base.aftersales_menu_root');
        const action = await rpc.xmlid('aftersales_base.aftersales_service_record_action');
        await page.goto(`${t.baseUrl}/web#id=${record.id}&model=aftersales.service.record&view_type=form&action=${action}&menu_id=${menu}`);
        await t.waitIdle('.o_content .o_form_view .o_statusbar_status');
    });
    stage = await t.statusbar();
    check(stage.value === 'signed' && stage.text === t.tr('Signed'), `${reference} is "${stage.text}"`);
    await t.clickText('.o_notebook .nav-tabs a', t.tr('Signature'));
    check(await page.locator('.o_field_widget[name="signature"] img').isVisible(), 'the signature is shown on the record');
    await t.assertTranslated('signed service record');
    await t.screenshot('signed');
    const pdf = await t.step('print the PDF', () => t.download('record', () => t.clickButton(t.tr('Print'))));
    check(pdf.filename.endsWith('.pdf'), `the browser downloads ${pdf.filename}`);
});
