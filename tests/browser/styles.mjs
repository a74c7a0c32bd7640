// Flow 3 (issue 7): the web client has its styles. Without lessc Odoo 11 serves the backend
// unstyled: the top bar is transparent and as high as its stacked links, the CSS bundle is (nearly) empty.
import { check, flow } from './lib/odoo.mjs';

await flow('styles', async (t) => {
    const page = await t.loginBackend(t.admin);
    const navbar = await page.$eval('#oe_main_menu_navbar', (element) => {
        const style = getComputedStyle(element);
        return { background: style.backgroundColor, height: element.getBoundingClientRect().height };
    });
    check(!/^(transparent|rgba\(0, 0, 0, 0\))$/.test(navbar.background),
        `navbar has a background colour (${navbar.background})`);
    check(navbar.height >= 25 && navbar.height <= 60, `navbar is one bar high (${navbar.height}px)`);

    const bundles = t.responses.filter((r) => /web\.assets_backend[^/]*\.css/.test(r.url()));
    check(bundles.length > 0, `the page loaded the web.assets_backend CSS (${bundles.length} file(s))`);
    let size = 0;
    for (const response of bundles) {
        check(response.status() === 200, `${new URL(response.url()).pathname} answered ${response.status()}`);
        const css = await response.text();
        check(!/Could not execute command|lessc/i.test(css.slice(0, 2000)), 'the CSS bundle holds no LESS error');
        size += css.length;
    }
    check(size > 100000, `the web.assets_backend CSS is not empty (${Math.round(size / 1024)} KB)`);
    await t.screenshot('home');
});
