// Flow 3 (issue 7; R: S1, S5, V8, DESIGN "Portal"): a customer of Suzhou Precision Parts logs
// in to the portal, sees its own machines and no other customer's, reports a problem with a
// photo, comments on it, signs the service record waiting for it and answers its visit survey.
// Set-up (as the admin, over RPC): a fresh record to sign and a fresh visit each run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check, flow } from './lib/odoo.mjs';
import { NINGBO, SUZHOU, admin, archiveBySerial, recordToSign, stamp, visitWithSurvey } from './lib/demo.mjs';

const OWN_SERIALS = ['VMC850-26-0001', 'VMC850-26-0002'];
const OTHER_SERIAL = 'HMC630-26-0001';  // Ningbo Mould Works' machine
// A small PNG "photo" of the alarm screen (a 1x1 pixel is enough for the upload).
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

await flow('portal', async (t) => {
    const customer = await t.persona('customer');
    const rpc = await admin();
    const [engineerUid] = await rpc.call('res.users', 'search', [[['login', '=', 'engineer']]]);
    const record = await recordToSign(rpc, OWN_SERIALS[0], engineerUid,
        `Lubrication pump pressure switch replaced; way lube flow checked on all axes (${stamp()}).`);
    const visit = await visitWithSurvey(rpc, OWN_SERIALS[1], customer.partnerId);
    const other = await archiveBySerial(rpc, OTHER_SERIAL);
    check(other.partner_id[0] === await rpc.xmlid(NINGBO), `set-up: ${OTHER_SERIAL} belongs to another customer`);
    const suzhou = await rpc.xmlid(SUZHOU);
    check((await archiveBySerial(rpc, OWN_SERIALS[0])).partner_id[0] === suzhou, `set-up: ${OWN_SERIALS[0]} is Suzhou's`);

    const page = await t.loginPortal(customer);
    check((await page.locator('.o_portal_docs').innerText()).includes(t.tr('Machines')), 'My Account lists the machines');
    await t.assertTranslated('portal home', { portal: true });

    await t.step('open my machines', () => page.goto(`${t.baseUrl}/my/units`));
    const units = await page.locator('table.o_portal_my_doc_table').innerText();
    for (const serial of OWN_SERIALS) check(units.includes(serial), `own machine ${serial} listed`);
    check(!units.includes(OTHER_SERIAL), `${OTHER_SERIAL} of another customer is not listed`);
    await t.assertTranslated('my machines', { portal: true });
    await t.screenshot('machines');
    const refused = await page.goto(`${t.baseUrl}/my/units/${other.id}`);
    check(refused.status() === 404, `another customer's machine answers ${refused.status()}`);

    // A new request with a photo of the alarm screen.
    const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-')), 'alarm-screen.png');
    fs.writeFileSync(photo, PHOTO);
    const symptom = `Spindle orientation alarm 9011 at tool change, about once an hour (${stamp()}).`;
    await t.step('open the new request form', () => page.goto(`${t.baseUrl}/my/tickets/new`));
    const options = await page.locator('select#archive_id option').allInnerTexts();
    check(!options.some((o) => o.includes(OTHER_SERIAL)), 'only own machines can be chosen');
    const own = await page.locator('select#archive_id option').filter({ hasText: OWN_SERIALS[1] }).getAttribute('value');
    await page.selectOption('select#archive_id', own);
    await page.fill('textarea#description', symptom);
    await page.setInputFiles('input#attachment', photo);
    await t.assertTranslated('new request form', { portal: true });
    await t.step('send the request', async () => {
        await Promise.all([page.waitForNavigation(), page.locator('form[action="/my/tickets/new"] button[type="submit"]').click()]);
    });
    const ticketId = Number((page.url().match(/\/my\/tickets\/(\d+)/) || [])[1]);
    check(ticketId > 0, `the request is open on ${new URL(page.url()).pathname}`);
    check((await page.locator('.panel-body').first().innerText()).includes('9011'), 'the request shows the symptom');
    const [ticket] = await rpc.call('aftersales.ticket', 'read', [[ticketId], ['name', 'channel', 'partner_id', 'archive_id']]);
    check(ticket.channel === 'portal' && ticket.partner_id[0] === suzhou, `stored: ${ticket.name} from the portal, for Suzhou`);
    const attachments = await rpc.call('ir.attachment', 'search_read',
        [[['res_model', '=', 'aftersales.ticket'], ['res_id', '=', ticketId]], ['name', 'datas_fname', 'file_size']]);
    check(attachments.some((a) => a.datas_fname === 'alarm-screen.png' && a.file_size === PHOTO.length),
        `the photo is attached to ${ticket.name}`);
    await page.waitForSelector('.o_portal_chatter_composer textarea');  // the chatter is drawn by JavaScript
    check(await page.locator('.o_portal_chatter_attachments [title="alarm-screen.png"]').count() === 1,
        'the photo is shown with the request');

    const comment = `The alarm also comes at 3000 rpm. (${stamp()})`;
    await t.step('comment on the request', async () => {
        await page.fill('.o_portal_chatter_composer textarea[name="message"]', comment);
        await Promise.all([page.waitForNavigation(), page.locator('.o_portal_chatter_composer button[type="submit"]').click()]);
        await page.waitForSelector('.o_portal_chatter_message');
    });
    check((await page.locator('.o_portal_chatter_messages').innerText()).includes('3000 rpm'), 'the comment is shown');
    const messages = await rpc.call('mail.message', 'search_read',
        [[['model', '=', 'aftersales.ticket'], ['res_id', '=', ticketId], ['body', 'ilike', '3000 rpm']], ['author_id']]);
    check(messages.length === 1 && messages[0].author_id[0] === customer.partnerId, 'stored: the comment, by the customer');
    await t.assertTranslated('request page', { portal: true });
    await t.screenshot('ticket');

    // The service record waiting for the customer's signature.
    await t.step('open my service records', () => page.goto(`${t.baseUrl}/my/service_records`));
    const row = page.locator('table.o_portal_my_doc_table tr').filter({ hasText: record.name });
    await t.assertTranslated('my service records', { portal: true });
    await t.step('open the signing page', async () => {
        await Promise.all([page.waitForNavigation(), row.locator('a.btn').click()]);
        await page.waitForSelector('#o_portal_signature canvas');
    });
    await page.fill('#o_portal_sign_name', customer.name);
    await t.drawSignature();
    await t.assertTranslated('signing page', { portal: true });
    await t.screenshot('signing');
    await t.step('sign', async () => {
        await page.locator('.o_portal_sign_submit').click();
        await page.waitForSelector('.alert-success');
    });
    const [signed] = await rpc.call('aftersales.service.record', 'read', [[record.id], ['state', 'signer_name', 'signature']]);
    check(signed.state === 'signed' && signed.signer_name === customer.name && signed.signature,
        `stored: ${record.name} signed by ${signed.signer_name} with the drawn signature`);

    // The return visit's survey.
    await t.step('open my return visits', () => page.goto(`${t.baseUrl}/my/visits`));
    const visitRow = page.locator('table.o_aftersales_visits tr').filter({ hasText: visit.name });
    await t.assertTranslated('my return visits', { portal: true });
    await t.step('open the survey', async () => {
        await Promise.all([page.waitForNavigation(), visitRow.locator('a.o_aftersales_survey_link').click()]);
    });
    const start = page.locator('a.btn-primary, button.btn-primary').first();
    if (!(await page.locator('.js_question-wrapper').count())) {
        await Promise.all([page.waitForNavigation(), start.click()]);  // the survey's start page
    }
    await page.waitForSelector('.js_question-wrapper');
    const questions = page.locator('.js_question-wrapper');
    for (let i = 0; i < await questions.count(); i += 1) {
        const question = questions.nth(i);
        const radios = question.locator('input[type="radio"]');
        if (await radios.count()) await radios.first().check();
        const text = question.locator('textarea');
        if (await text.count()) await text.first().fill('Please send the maintenance manual as a PDF too.');
    }
    await t.assertTranslated('survey', { portal: true });
    await t.screenshot('survey');
    await t.step('submit the survey', async () => {
        await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"][value="finish"], button[name="button_submit"]').last().click()]);
    });
    const [answered] = await rpc.call('aftersales.visit', 'read', [[visit.id], ['state', 'score_average', 'suggestions']]);
    check(answered.state === 'done' && answered.score_average > 0,
        `stored: visit ${visit.name} done with an average score of ${answered.score_average}`);
});
