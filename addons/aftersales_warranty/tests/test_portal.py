import odoo.tests

from odoo.addons.aftersales_base.tests.common import NO_MAIL


@odoo.tests.common.at_install(False)
@odoo.tests.common.post_install(True)
class TestWarrantyPortal(odoo.tests.HttpCase):
    """The customer sees its own units' warranties and their end dates, not others'."""

    def setUp(self):
        super().setUp()
        env = self.env(context=dict(self.env.context, **NO_MAIL))
        product = env["product.product"].create({
            "name": "Portal Machine", "type": "product", "tracking": "serial",
            "aftersales_tracked": True})
        env["aftersales.warranty.policy"].create({
            "name": "Portal policy", "product_tmpl_id": product.product_tmpl_id.id,
            "replacement_months": 12, "repair_months": 24})
        Archive = env["aftersales.archive"]
        self.customer = env["res.partner"].create({"name": "Portal Works", "is_company": True})
        other = env["res.partner"].create({"name": "Someone Else", "is_company": True})
        for serial, partner in (("PORTAL-MINE", self.customer), ("PORTAL-THEIRS", other)):
            lot = env["stock.production.lot"].create({"name": serial, "product_id": product.id})
            Archive.create({"product_id": product.id, "lot_id": lot.id,
                            "partner_id": partner.id, "delivery_date": "2026-01-15",
                            "acceptance_date": "2026-02-01"})
        contact = env["res.partner"].create({"name": "Li Na", "parent_id": self.customer.id})
        env["res.users"].create({
            "name": "Li Na", "login": "portal_li", "password": "portal_li",
            "partner_id": contact.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})

    def test_portal_lists_own_warranties(self):
        self.authenticate("portal_li", "portal_li")
        response = self.url_open("/my/warranties")
        self.assertEqual(response.status_code, 200)
        self.assertIn("PORTAL-MINE", response.text)
        self.assertIn("01/31/2028", response.text)
        self.assertNotIn("PORTAL-THEIRS", response.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/warranties", home.text)
