// Shared helper of the browser flows (issue 7): Chromium driven by playwright-core against the
// demo server that `make run` (bin/run) starts. A flow is a small .mjs file:
//
//     import { flow } from './lib/odoo.mjs';
//     await flow('archives', async (t) => {
//         const page = await t.loginBackend(t.lang === 'en_US' ? t.admin : await t.persona('manager'));
//         await t.clickMenu(t.tr('After-Sales'), t.tr('Units'), t.tr('Unit Archives'));
//         await t.screenshot('archive-list');
//     });
//
// Configuration comes from the environment (tests/browser/test_flows.py sets it):
//   AFTERSALES_BASE_URL       the server, e.g. http://127.0.0.1:8069 (required)
//   AFTERSALES_DB             its database (default aftersales)
//   AFTERSALES_LANG           language of the users the flow logs in as (default en_US)
//   AFTERSALES_SCREENSHOT_DIR where screenshots go (default tests/browser/screenshots)
//   AFTERSALES_TRANSLATIONS   JSON file {msgid: msgstr} of our addons' zh_CN.po entries
//   BROWSER_BIN               the Chromium binary (default /usr/bin/chromium)
// Output, one line each, read by the pytest wrapper: "STEP <name> <ms> ms", "SCREENSHOT <path>",
// "CHECK <what>", and last "FLOW PASSED <name>" or "FLOW FAILED <name>: <why>" (exit code 1).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// playwright-core lives in .local/node (bin/lib.sh ensure_browser); ES modules ignore NODE_PATH.
const NODE_MODULES = process.env.AFTERSALES_NODE_MODULES || path.join(ROOT, '.local', 'node', 'node_modules');
const { chromium } = createRequire(path.join(NODE_MODULES, 'noop.js'))('playwright-core');

const env = (name, fallback) => process.env[name] || fallback;
export const config = {
    baseUrl: (process.env.AFTERSALES_BASE_URL || '').replace(/\/+$/, ''),
    db: env('AFTERSALES_DB', 'aftersales'),
    lang: env('AFTERSALES_LANG', 'en_US'),
    screenshotDir: env('AFTERSALES_SCREENSHOT_DIR', path.join(ROOT, 'tests', 'browser', 'screenshots')),
    translations: process.env.AFTERSALES_TRANSLATIONS,
    browserBin: env('BROWSER_BIN', '/usr/bin/chromium'),
    viewport: { width: 1280, height: 800 },
    timeout: Number(env('AFTERSALES_BROWSER_TIMEOUT_MS', 60000)),
};

// Flags that keep Chromium quiet on a machine with a closed network (see RUNTIME.md).
const CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const ADMIN = { login: 'admin', password: 'admin' };

// The users of the flows, created on the demo database on first use, one per role and language
// (login e2e_<role>_<lang>), so a flow runs the same in English and in Chinese.
export const PERSONAS = {
    manager: {
        name: 'E2E After-Sales Manager',
        groups: ['base.group_user', 'aftersales_base.group_aftersales_manager'],
    },
    user: {
        name: 'E2E After-Sales User',
        groups: ['base.group_user', 'aftersales_base.group_aftersales_user'],
    },
    // Flow 1: takes the customer's call, triages it and dispatches an engineer.
    hotline: {
        name: 'E2E Hotline',
        groups: ['base.group_user', 'aftersales_base.group_aftersales_hotline'],
    },
    // Flow 2: the field engineer who fills the service record on site.
    engineer: {
        name: 'E2E Field Engineer',
        groups: ['base.group_user', 'aftersales_base.group_aftersales_engineer'],
    },
    // Flow 4: approves the top cost budget level of repairs (R: S11), after the manager: one
    // person approves one level (issue 13).
    general_manager: {
        name: 'E2E General Manager',
        groups: ['base.group_user', 'aftersales_warranty.group_aftersales_general_manager'],
    },
    // Flow 3: a customer on the portal, a contact of `company` (customer A of the demo).
    customer: {
        name: 'E2E Customer',
        groups: ['base.group_portal'],
        company: 'aftersales_base.partner_suzhou_demo',
    },
};

export class FlowError extends Error {}

export function check(condition, message) {
    if (!condition) throw new FlowError(message);
    console.log(`CHECK ${message}`);
}

// JSON-RPC as a given user, over plain HTTP (set-up and clean-up, not what the user does).
export class Rpc {
    constructor(baseUrl = config.baseUrl, db = config.db) {
        this.baseUrl = baseUrl;
        this.db = db;
        this.cookie = '';
    }

    async post(route, params) {
        const response = await fetch(this.baseUrl + route, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Cookie: this.cookie },
            body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params }),
        });
        const session = (response.headers.get('set-cookie') || '').match(/session_id=[^;]+/);
        if (session) this.cookie = session[0];
        const body = await response.json();
        if (body.error) {
            const data = body.error.data || {};
            throw new FlowError(`${route}: ${data.message || body.error.message}`);
        }
        return body.result;
    }

    async login({ login, password }) {
        const result = await this.post('/web/session/authenticate', { db: this.db, login, password });
        if (!result || !result.uid) throw new FlowError(`cannot log in as ${login} over JSON-RPC`);
        return this;
    }

    call(model, method, args = [], kwargs = {}) {
        return this.post(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs });
    }

    async xmlid(xmlid) {
        const id = await this.call('ir.model.data', 'xmlid_to_res_id', [xmlid, true]);
        return id;
    }
}

// Creates (or brings up to date) the user of `role` in `lang`; returns its credentials.
export async function ensurePersona(role, lang = config.lang) {
    const spec = PERSONAS[role];
    if (!spec) throw new FlowError(`unknown persona ${role}`);
    const admin = await new Rpc().login(ADMIN);
    const langs = await admin.call('res.lang', 'search_count', [[['code', '=', lang]]]);
    if (!langs) throw new FlowError(`language ${lang} is not loaded in the demo database`);
    const login = `e2e_${role}_${lang}`;
    const groups = [];
    for (const xmlid of spec.groups) groups.push(await admin.xmlid(xmlid));
    const vals = {
        // an e-mail address, as every real user has: the chatter sends its notifications from it
        name: `${spec.name} (${lang})`, login, password: login, lang, active: true,
        email: `${login}@aftersales.example.com`,
        groups_id: [[6, 0, groups]],
    };
    const context = { active_test: false, no_reset_password: true, tz: 'Asia/Shanghai' };
    const ids = await admin.call('res.users', 'search', [[['login', '=', login]]], { context });
    const uid = ids.length ? ids[0] : await admin.call('res.users', 'create', [vals], { context });
    if (ids.length) await admin.call('res.users', 'write', [ids, vals], { context });
    let partnerId;
    if (spec.company) {
        // A contact of the customer company, so the portal's record rules show it that company's documents.
        [{ partner_id: [partnerId] }] = await admin.call('res.users', 'read', [[uid], ['partner_id']]);
        await admin.call('res.partner', 'write', [[partnerId], {
            parent_id: await admin.xmlid(spec.company), type: 'contact',
            email: `${login}@aftersales.example.com`, lang,
        }]);
    }
    return { login, password: login, lang, uid, partnerId, name: vals.name };
}

function loadTranslations() {
    if (!config.translations) return {};
    return JSON.parse(fs.readFileSync(config.translations, 'utf8'));
}

export class FlowContext {
    constructor(name) {
        this.name = name;
        this.lang = config.lang;
        this.baseUrl = config.baseUrl;
        this.admin = ADMIN;
        this.translations = this.lang === 'en_US' ? {} : loadTranslations();
        this.timings = [];
        this.responses = [];
        this.pageErrors = [];
    }

    // The text a user sees for one of our addons' source strings in the flow's language.
    tr(msgid) {
        const msgstr = this.translations[msgid];
        if (this.lang !== 'en_US' && !msgstr) {
            throw new FlowError(`"${msgid}" has no ${this.lang} translation in our addons' .po files`);
        }
        return msgstr || msgid;
    }

    async step(name, fn) {
        const start = Date.now();
        const result = await fn();
        const ms = Date.now() - start;
        this.timings.push({ step: name, ms });
        console.log(`STEP ${name} ${ms} ms`);
        return result;
    }

    async start() {
        this.browser = await chromium.launch({
            executablePath: config.browserBin, headless: true, args: CHROMIUM_ARGS,
        });
        // A fresh context is a fresh profile: no cookies, no cache.
        this.context = await this.browser.newContext({
            viewport: config.viewport, locale: this.lang.replace('_', '-'),
        });
        // Granted up front, so the web client shows no "enable desktop notifications" banner.
        await this.context.grantPermissions(['notifications'], { origin: config.baseUrl });
        this.context.setDefaultTimeout(config.timeout);
        this.page = await this.context.newPage();
        this.page.on('response', (response) => this.responses.push(response));
        // The web client's RPCs in flight (not the long-polling bus, which always waits).
        this.pending = 0;
        const isRpc = (request) => /\/web\/(dataset|action|search_read|export)|\/mail\//.test(request.url())
            && !request.url().includes('/longpolling/');
        this.page.on('request', (request) => { if (isRpc(request)) this.pending += 1; });
        const done = (request) => { if (isRpc(request)) this.pending -= 1; };
        this.page.on('requestfinished', done);
        this.page.on('requestfailed', done);
        this.page.on('pageerror', (error) => this.pageErrors.push(String(error)));
        return this.page;
    }

    persona(role) {
        return ensurePersona(role, this.lang);
    }

    async login({ login, password }, redirect) {
        const page = this.page;
        await this.step(`login ${login}`, async () => {
            const query = redirect ? `?redirect=${encodeURIComponent(redirect)}` : '';
            await page.goto(`${config.baseUrl}/web/login${query}`);
            await page.fill('input[name="login"]', login);
            await page.fill('input[name="password"]', password);
            await Promise.all([page.waitForNavigation(), page.click('form.oe_login_form button[type="submit"]')]);
            check(!(await page.$('form.oe_login_form .alert-danger')), `${login} logged in`);
        });
        return page;
    }

    // Backend user: logs in on /web/login and waits for the web client.
    async loginBackend(user) {
        await this.login(user);
        await this.step('web client loaded', () => this.waitIdle('#oe_main_menu_navbar .oe_application_menu_placeholder'));
        return this.page;
    }

    // Portal user (customer): logs in and lands on /my.
    async loginPortal(user) {
        await this.login(user, '/my');
        await this.page.waitForSelector('.o_portal, #wrapwrap');
        return this.page;
    }

    // Waits for `selector` (if given) and for the web client to have no RPC pending.
    async waitIdle(selector, state = 'visible') {
        // RPCs the page sent (an onchange after a field was filled...) must have answered.
        for (let waited = 0; this.pending > 0 && waited < config.timeout; waited += 50) {
            await this.page.waitForTimeout(50);
        }
        if (selector) await this.page.waitForSelector(selector, { state });
        // The loading indicator shows only after a delay; while a button's action runs the web
        // client disables the form's buttons: both must be over.
        await this.page.waitForFunction(() => {
            const loading = document.querySelector('.o_loading');
            const busy = document.querySelector(
                '.o_control_panel .o_cp_buttons button:disabled, .o_form_statusbar .o_statusbar_buttons button:disabled, .modal.in .modal-footer button:disabled');
            return (!loading || getComputedStyle(loading).display === 'none') && !busy;
        });
    }

    // Clicks through the backend menus by their visible text: the app in the top bar, then the
    // sections and the item in the left menu; waits for the item's action to be shown.
    async clickMenu(app, ...path) {
        const page = this.page;
        const appLink = page.locator('#oe_main_menu_navbar .oe_application_menu_placeholder a')
            .filter({ hasText: exactText(app) }).first();
        const appId = await appLink.getAttribute('data-menu');
        await appLink.click();
        let scope = page.locator(`.o_sub_menu .oe_secondary_menu[data-menu-parent="${appId}"]`);
        await scope.waitFor();
        let item = appLink;
        for (const [i, text] of path.entries()) {
            const last = i === path.length - 1;
            if (i === 0 && !last) {  // a section title of the left menu: not a link
                scope = scope.locator('.oe_secondary_menu_section').filter({ hasText: exactText(text) })
                    .locator('xpath=following-sibling::ul[1]');
                continue;
            }
            item = scope.locator('a').filter({ hasText: exactText(text) }).first();
            if (!last) scope = item.locator('xpath=following-sibling::ul[1]');
        }
        if (item !== appLink) await item.click();
        const action = ((await item.getAttribute('href')) || '').match(/action=(\d+)/);
        if (action) await page.waitForURL(new RegExp(`[#&]action=${action[1]}(&|$)`));
        await this.waitIdle('.o_content');  // (an inline form has no control panel)
    }

    // Backend form helpers. Odoo 11 renders each field widget with name="<field>"; `scope` is
    // the form (default) or a dialog ('.modal.in').
    fieldLocator(name, scope = '.o_content .o_form_view') {
        return this.page.locator(`${scope} .o_field_widget[name="${name}"]`).first();
    }

    async fillField(name, value, scope) {
        const field = this.fieldLocator(name, scope);
        const input = (await field.evaluate((el) => ['INPUT', 'TEXTAREA'].includes(el.tagName)))
            ? field : field.locator('input, textarea').first();
        await input.fill(value);
        await input.press('Tab');
        await this.waitIdle();
    }

    async selectField(name, value, scope) {
        await this.fieldLocator(name, scope).selectOption(JSON.stringify(value));
        await this.waitIdle();
    }

    async checkRadio(name, value, scope) {
        await this.fieldLocator(name, scope).locator(`input[data-value="${value}"]`).check();
        await this.waitIdle();
    }

    // Types `search` into a many2one and picks the suggestion that reads `pick` (default: search).
    async fillMany2one(name, search, pick = search, scope) {
        const input = this.fieldLocator(name, scope).locator('input').first();
        await input.fill('');
        await input.type(search, { delay: 20 });
        const item = this.page.locator('ul.ui-autocomplete:visible li:not(.o_m2o_dropdown_option) a')
            .filter({ hasText: pick }).first();
        await item.click();
        await this.waitIdle();
    }

    // A datetime field: the value is typed the way the web client shows it in the user's language.
    async fillDatetime(name, date, scope) {
        const text = await this.page.evaluate((iso) => {
            const fieldUtils = odoo.__DEBUG__.services['web.field_utils'];
            return fieldUtils.format.datetime(moment.utc(iso), null, { timezone: true });
        }, date.toISOString());
        await this.fillField(name, text, scope);
        // close the date picker (Escape would close a dialog too)
        await this.page.locator('.bootstrap-datetimepicker-widget:visible').waitFor({ state: 'detached', timeout: 1000 })
            .catch(async () => {
                const header = this.page.locator('.modal.in .modal-header');
                await ((await header.count()) ? header.first() : this.page.locator('.o_control_panel .breadcrumb')).click();
            });
    }

    async clickButton(text, scope = '.o_content .o_form_view .o_form_statusbar') {
        await this.page.locator(`${scope} button:visible`).filter({ hasText: exactText(text) }).first().click();
        await this.waitIdle();
    }

    async saveForm() {
        await this.page.locator('.o_control_panel .o_form_button_save').click();
        await this.waitIdle('.o_content .o_form_view.o_form_readonly');
    }

    async createRecord() {
        const create = this.page.locator('.o_control_panel .o_list_button_add:visible, .o_control_panel .o-kanban-button-new:visible').first();
        const form = this.page.locator('.o_content .o_form_view.o_form_editable');
        // Right after the menu the view may still be binding its buttons: a click then does nothing.
        for (let attempt = 0; attempt < 5 && !(await form.count()); attempt += 1) {
            await create.click();
            await form.waitFor({ timeout: 2000 }).catch(() => {});
        }
        await this.waitIdle('.o_content .o_form_view.o_form_editable');
    }

    // The stage shown on the status bar: {value: technical key, text: as shown}.
    async statusbar() {
        const button = this.page.locator('.o_content .o_form_view .o_statusbar_status button.btn-primary').first();
        return { value: await button.getAttribute('data-value'), text: (await button.innerText()).trim() };
    }

    // Runs `trigger` and saves what the browser downloads; prints "DOWNLOAD <path>" for the wrapper.
    async download(name, trigger) {
        const [download] = await Promise.all([this.page.waitForEvent('download'), trigger()]);
        const dir = path.join(config.screenshotDir, 'downloads');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${this.name}-${this.lang}-${name}${path.extname(download.suggestedFilename())}`);
        await download.saveAs(file);
        console.log(`DOWNLOAD ${file} ${download.suggestedFilename()}`);
        return { file, filename: download.suggestedFilename() };
    }

    // Draws a signature with the mouse on the portal's signature pad (jSignature canvas).
    async drawSignature(selector = '#o_portal_signature canvas') {
        const canvas = this.page.locator(selector).first();
        await canvas.scrollIntoViewIfNeeded();
        const box = await canvas.boundingBox();
        const mouse = this.page.mouse;
        const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
        await mouse.move(...at(0.15, 0.6));
        await mouse.down();
        for (let i = 1; i <= 24; i += 1) {
            const fx = 0.15 + 0.6 * (i / 24);
            await mouse.move(...at(fx, 0.5 + 0.25 * Math.sin(i / 2)), { steps: 2 });
        }
        await mouse.up();
        await mouse.move(...at(0.3, 0.3));
        await mouse.down();
        await mouse.move(...at(0.45, 0.75), { steps: 8 });
        await mouse.up();
    }

    async clickText(selector, text) {
        await this.page.locator(selector).filter({ hasText: exactText(text) }).first().click();
        await this.waitIdle();
    }

    async screenshot(name) {
        fs.mkdirSync(config.screenshotDir, { recursive: true });
        const file = path.join(config.screenshotDir, `${this.name}-${this.lang}-${name}.png`);
        await this.page.evaluate(() => document.activeElement && document.activeElement.blur());
        await this.page.screenshot({ path: file });
        console.log(`SCREENSHOT ${file}`);
        return file;
    }

    // The texts of the page's labels, headers, tabs, buttons, menus and cells, as shown.
    async visibleLabels({ portal = false } = {}) {
        return this.page.evaluate((portal) => {
            const selectors = portal ? [
                // the portal's own pages: headings, table heads and cells, buttons, links, labels
                'h1', 'h2', 'h3', 'h4', 'h5', 'strong', 'label', 'th', 'td', 'a', 'button', 'option',
                '.alert', '.label', '.breadcrumb li', '.list-group-item', 'p', 'li', '.panel-heading',
            ] : [
                '#oe_main_menu_navbar a', '.o_sub_menu a', '.oe_secondary_menu_section', '.breadcrumb li',
                '.o_control_panel button', '.o_searchview_input', '.o_search_options a',
                'label', 'th', 'td', '.nav-tabs a', '.o_horizontal_separator', '.o_group .o_td_label',
                '.o_form_statusbar button', '.o_statusbar_status button', '.o_form_sheet h1',
                '.o_list_view tbody td', '.o_field_widget', '.alert', '.oe_button_box button',
            ];
            const seen = new Set();
            for (const element of document.querySelectorAll(selectors.join(','))) {
                if (!element.offsetParent && getComputedStyle(element).position !== 'fixed') continue;
                const text = (element.innerText || element.placeholder || '').trim();
                if (text) text.split('\n').map((s) => s.trim()).filter(Boolean).forEach((s) => seen.add(s));
            }
            return [...seen];
        }, portal);
    }

    // No visible label may still be the English source of one of our translated strings.
    // `portal`: the page is a portal (website) page, not the web client.
    async assertTranslated(where, { portal = false } = {}) {
        if (this.lang === 'en_US') return;
        const english = new Set(Object.entries(this.translations)
            .filter(([msgid, msgstr]) => msgstr && msgstr !== msgid && /[A-Za-z]{2}/.test(msgid))
            .map(([msgid]) => msgid.trim().replace(/:$/, '')));
        const left = (await this.visibleLabels({ portal }))
            .filter((text) => english.has(text) || english.has(text.replace(/:$/, '')));
        check(left.length === 0,
            `${where}: no English label of ours left` + (left.length ? ` (found: ${left.join(', ')})` : ''));
    }

    async finish() {
        if (this.browser) await this.browser.close();
        fs.mkdirSync(config.screenshotDir, { recursive: true });
        fs.writeFileSync(path.join(config.screenshotDir, `${this.name}-${this.lang}-timings.json`),
            JSON.stringify(this.timings, null, 2));
    }
}

function exactText(text) {
    return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

// What the user saw when a flow failed: notifications, dialogs, fields marked invalid.
async function reportPageState(page) {
    for (const selector of ['.o_notification', '.modal.in .modal-body', '.o_field_invalid']) {
        for (const element of await page.locator(selector).all()) {
            const text = (await element.innerText().catch(() => '')).trim().replace(/\s+/g, ' ');
            const field = await element.getAttribute('name').catch(() => null);
            console.log(`PAGE ${selector}: ${field ? `[${field}] ` : ''}${text.slice(0, 300)}`);
        }
    }
}

// Runs one flow: browser up, the steps, a screenshot of the page when it fails, browser down.
export async function flow(name, body) {
    const t = new FlowContext(name);
    let failure;
    try {
        if (!config.baseUrl) throw new FlowError('AFTERSALES_BASE_URL is not set (bin/test sets it)');
        await t.start();
        await body(t);
        if (t.pageErrors.length) throw new FlowError(`JavaScript errors on the page: ${t.pageErrors.join(' | ')}`);
    } catch (error) {
        failure = error;
        if (t.page) {
            await t.screenshot('FAILED').catch(() => {});
            await reportPageState(t.page).catch(() => {});
        }
    } finally {
        await t.finish().catch(() => {});
    }
    if (failure) {
        const why = failure instanceof FlowError ? failure.message : (failure.stack || String(failure));
        console.log(`FLOW FAILED ${name}: ${why}`);
        process.exitCode = 1;
    } else {
        console.log(`FLOW PASSED ${name}`);
    }
}
