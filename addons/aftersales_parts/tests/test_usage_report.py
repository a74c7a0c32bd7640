import io
import re
import zipfile

from odoo.addons.aftersales_base.tests.common import AftersalesHttpCase

from .common import PartsCase


class TestUsageReport(PartsCase):
    """R: A8 - parts used per unit model and month, for planning."""

    def _issue(self, part, qty):
        self._put_in_stock(part, qty)
        request = self._approve(self._create_request({"product_id": part.id, "quantity": qty}))
        self._ship(request.picking_ids)
        return request

    def test_a8_usage_per_unit_model_and_month(self):
        self._issue(self.bearing, 2.0)
        self._issue(self.bearing, 1.0)
        Report = self.env["aftersales.parts.usage.report"].sudo(self.manager)
        groups = Report.read_group(
            [("part_id", "=", self.bearing.id)], ["quantity", "unit_product_id"],
            ["unit_product_id"])
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["unit_product_id"][0], self.product.id)
        self.assertEqual(groups[0]["quantity"], 3.0)
        table, months = Report._usage_table([("part_id", "=", self.bearing.id)])
        self.assertEqual(len(months), 1)
        self.assertEqual(list(table.values())[0][months[0]], 3.0)

    def test_a8_xlsx_export_holds_the_usage(self):
        self._issue(self.bearing, 2.0)
        content = self.env["aftersales.parts.usage.report"].sudo(self.manager)._export_xlsx()
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            strings = workbook.read("xl/sharedStrings.xml").decode()
        self.assertIn("Test Bearing Set", strings)
        self.assertIn("Test Machining Center", strings)

    def test_a8_usage_is_for_managers_and_purchasing_only(self):
        Report = self.env["aftersales.parts.usage.report"]
        self.assertTrue(Report.sudo(self.purchase_user).check_access_rights(
            "read", raise_exception=False))
        self.assertFalse(Report.sudo(self.user).check_access_rights(
            "read", raise_exception=False))


class TestUsageExportRoute(AftersalesHttpCase):
    """R: A8 - the XLSX download route, with access rights."""

    def setUp(self):
        super().setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.planner = Users.create({
            "name": "Parts Planner", "login": "parts_planner", "password": "parts_planner-pwd",
            "groups_id": [(6, 0, [self.env.ref("aftersales_base.group_aftersales_manager").id])]})
        self.hotline = Users.create({
            "name": "Parts Hotline", "login": "parts_hotline", "password": "parts_hotline-pwd",
            "groups_id": [(6, 0, [self.env.ref("aftersales_base.group_aftersales_user").id])]})
        # A TestCursor "commit" only moves its savepoint; everything is rolled back afterwards.
        self.env.cr.commit()

    def _login(self, user):
        page = self.url_open("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open("/web/login", data={
            "csrf_token": csrf, "login": user.login, "password": user.login + "-pwd",
            "redirect": "/web"})
        self.assertIn("/web", response.url)

    def test_a8_download_route_for_planners_only(self):
        self._login(self.planner)
        response = self.url_open("/aftersales_parts/usage.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertTrue(response.content.startswith(b"PK"))
        self.url_open("/web/session/logout")
        self._login(self.hotline)
        response = self.url_open("/aftersales_parts/usage.xlsx")
        self.assertEqual(response.status_code, 403)
