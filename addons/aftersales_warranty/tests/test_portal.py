from contextlib import contextmanager

import odoo.tests
from odoo import SUPERUSER_ID, api

from odoo.addons.aftersales_base.tests.common import NO_MAIL, AftersalesHttpCase


@odoo.tests.common.at_install(False)
@odoo.tests.common.post_install(True)
class TestWarrantyPortal(AftersalesHttpCase):
    """The customer sees its own units' warranties and their end dates, not others'."""

    def setUp(self):
        super().setUp()
        with self._server_env() as env:
            self._create_data(env)

    @contextmanager
    def _server_env(self):
        """Odoo 11's test mode serves requests from its own test cursor, not from self.cr:
        write through that cursor (rolled back when the test leaves test mode)."""
        cr = self.registry.cursor()
        try:
            yield api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL))
            cr.commit()
        finally:
            cr.close()

    def _login(self, login):
        test_cr = self.cr
        self.cr = self.registry.cursor()
        try:
            self.authenticate(login, login)
        finally:
            self.cr.close()
            self.cr = test_cr

    def _create_data(self, env):
        product = env["product.product"].create({
            "name": "Portal Machine", "type": "product", "tracking": "serial",
            "aftersales_tracked": True})
        env["aftersales.warranty.policy"].create({
            "name": "Portal policy", "product_tmpl_id": product.product_tmpl_id.id,
            "replacement_months": 12, "repair_months": 24})
        customer = env["res.partner"].create({"name": "Portal Works", "is_company": True})
        other = env["res.partner"].create({"name": "Someone Else", "is_company": True})
        for serial, partner in (("PORTAL-MINE", customer), ("PORTAL-THEIRS", other)):
            lot = env["stock.production.lot"].create({"name": serial, "product_id": product.id})
            env["aftersales.archive"].create({
                "product_id": product.id, "lot_id": lot.id, "partner_id": partner.id,
                "delivery_date": "2026-01-15", "acceptance_date": "2026-02-01"})
        contact = env["res.partner"].create({"name": "Li Na", "parent_id": customer.id})
        env["res.users"].create({
            "name": "Li Na", "login": "portal_li", "password": "portal_li",
            "partner_id": contact.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})

    def test_portal_lists_own_warranties(self):
        self._login("portal_li")
        response = self.url_open("/my/warranties", timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertIn("PORTAL-MINE", response.text)
        self.assertIn("01/31/2028", response.text)  # end of the free repair window
        self.assertNotIn("PORTAL-THEIRS", response.text)
        home = self.url_open("/my/home", timeout=60)
        self.assertIn("/my/warranties", home.text)

    def test_anonymous_redirected_to_login(self):
        response = self.url_open("/my/warranties", timeout=60)
        self.assertIn("/web/login", response.url)
        self.assertNotIn("PORTAL-MINE", response.text)
