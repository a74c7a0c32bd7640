from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import PartsCase


class TestStockPath(PartsCase):
    """R: P1, P4 - approved parts are served from the parts warehouse by a transfer."""

    def test_p1_request_served_from_stock_end_to_end(self):
        self._put_in_stock(self.bearing, 5.0)
        request = self._create_request(
            {"product_id": self.bearing.id, "quantity": 2.0, "urgency": "urgent",
             "destination": "engineer"})
        self.assertEqual(request.line_ids.supply_status, "draft")
        self._approve(request)

        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.manager)
        picking = request.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(picking.location_id, self.parts_stock)
        self.assertEqual(picking.partner_id, self.engineer.partner_id, "goes to the engineer")
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.move_lines.product_uom_qty, 2.0)
        self.assertFalse(request.purchase_ids)
        line = request.line_ids
        self.assertEqual(line.supply_status, "reserved")
        self.assertEqual(self._quantity(self.bearing, self.parts_stock), 3.0, "2 reserved of 5")

        self._ship(picking)

        self.assertEqual(picking.state, "done")
        self.assertEqual(self.bearing.with_context(location=self.parts_stock.id).qty_available, 3.0)
        self.assertEqual(self.bearing.with_context(
            location=picking.location_dest_id.id).qty_available, 2.0)
        self.assertEqual(line.supply_status, "shipped")
        self.assertEqual(line.qty_issued, 2.0)
        self.assertTrue(line.date_issued)
        self.assertTrue(line.issued_on_time)
        self.assertEqual(request.state, "done")
        self.assertTrue(request.issued_on_time)
        self.assertFalse(request.core_return_ids, "bearings need no core return")

    def test_p4_urgent_request_is_urgent_for_logistics(self):
        self._put_in_stock(self.bearing, 5.0)
        request = self._approve(self._create_request(
            {"product_id": self.bearing.id, "urgency": "urgent", "destination": "customer"},
            {"product_id": self.bearing.id, "urgency": "normal", "destination": "engineer"}))
        self.assertTrue(request.is_urgent)
        self.assertEqual(len(request.picking_ids), 2, "one transfer per destination")
        to_customer = request.picking_ids.filtered(lambda p: p.partner_id == self.site_contact)
        to_engineer = request.picking_ids - to_customer
        self.assertEqual(to_customer.priority, "2")
        self.assertEqual(to_engineer.priority, "1")
        urgent = self.env["stock.picking"].search(
            [("priority", "in", ("2", "3")), ("aftersales_parts_request_id", "=", request.id)])
        self.assertEqual(urgent, to_customer)
        normal, urgent_line = request.line_ids.sorted("urgency")
        self.assertLess(urgent_line.date_promised, normal.date_promised,
                        "urgent parts are promised sooner")

    def test_p1_promised_date_follows_configured_lead_time(self):
        self.env.user.company_id.write(
            {"aftersales_parts_normal_days": 5, "aftersales_parts_urgent_days": 0})
        request = self._create_request({"product_id": self.bearing.id, "urgency": "urgent"})
        today = self._days_from_today(0)
        self.assertEqual(request.line_ids.date_promised, today)

    def test_p1_supply_rerun_creates_nothing_twice(self):
        self._put_in_stock(self.bearing, 5.0)
        request = self._approve(self._create_request({"product_id": self.bearing.id}))
        moves = request.mapped("line_ids.move_ids")
        request.sudo(self.clerk).action_supply()
        request.sudo(self.clerk).action_supply()
        request.invalidate_cache()
        self.assertEqual(len(request.picking_ids), 1)
        self.assertEqual(request.mapped("line_ids.move_ids"), moves)
        self.assertEqual(self._quantity(self.bearing, self.parts_stock), 4.0)

    def test_p1_approval_needs_a_manager(self):
        """R: P1 - neither the engineer who asked nor another engineer approves."""
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        other = self._create_user("other_engineer", "aftersales_base.group_aftersales_engineer")
        for user in (self.engineer, other, self.clerk):
            with self.assertRaises(UserError), self.cr.savepoint():
                request.sudo(user).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.review_ids.status, "pending")
        self.assertFalse(request.picking_ids)

    def test_p1_wrong_state_and_bad_input_are_refused(self):
        request = self._create_request({"product_id": self.bearing.id})
        with self.assertRaises(UserError):
            request.sudo(self.manager).validate_tier()
        with self.assertRaises(UserError):
            request.sudo(self.clerk).action_supply()
        empty = self._create_request()
        with self.assertRaises(UserError):
            empty.sudo(self.engineer).action_submit()
        self.assertEqual(empty.state, "draft")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_request({"product_id": self.product.id})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._create_request({"product_id": self.bearing.id, "quantity": 0.0})

    def test_p1_engineer_destination_needs_an_engineer(self):
        self._put_in_stock(self.bearing, 1.0)
        request = self._create_request({"product_id": self.bearing.id}, engineer_id=False)
        self._submit(request)
        with self.assertRaises(UserError), self.cr.savepoint():
            request.sudo(self.manager).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.picking_ids)

    def test_cancel_releases_reservation_and_refuses_after_issue(self):
        self._put_in_stock(self.bearing, 2.0)
        request = self._approve(self._create_request({"product_id": self.bearing.id}))
        self.assertEqual(self._quantity(self.bearing, self.parts_stock), 1.0)
        request.sudo(self.engineer).action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertEqual(self._quantity(self.bearing, self.parts_stock), 2.0)
        self.assertEqual(request.line_ids.supply_status, "cancel")

        shipped = self._approve(self._create_request({"product_id": self.bearing.id}))
        self._ship(shipped.picking_ids)
        with self.assertRaises(UserError):
            shipped.sudo(self.engineer).action_cancel()

    def test_requests_are_not_deleted_once_submitted(self):
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        with self.assertRaises(UserError):
            request.sudo(self.manager).unlink()
        self.assertTrue(request.exists())

    def test_request_from_ticket_prefills_customer_unit_and_engineer(self):
        # a dispatched ticket (the engineer is set by the dispatch, issue 13)
        ticket = self.env["aftersales.ticket"]._create_owned({
            "partner_id": self.customer.id, "archive_id": self.archive.id,
            "engineer_id": self.engineer.id, "description": "Spindle noise"})
        action = ticket.sudo(self.engineer).action_request_parts()
        request = self.env["aftersales.parts.request"].sudo(self.engineer).with_context(
            action["context"]).create({"line_ids": [(0, 0, {"product_id": self.bearing.id})]})
        self.assertEqual(request.ticket_id, ticket)
        self.assertEqual(request.archive_id, self.archive)
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.engineer_id, self.engineer)
        self.assertEqual(request.unit_product_id, self.product)
        self.assertEqual(ticket.parts_request_count, 1)

    def test_ticket_and_repair_forms_offer_request_parts(self):
        for model in ("aftersales.ticket", "mrp.repair"):
            arch = self.env[model].sudo(self.user).fields_view_get(view_type="form")["arch"]
            self.assertIn("action_request_parts", arch, model)
            self.assertIn("parts_request_count", arch, model)

    def test_logistics_and_purchasing_can_read_requests(self):
        request = self._create_request({"product_id": self.bearing.id})
        self.assertEqual(request.sudo(self.stock_user).name, request.name)
        self.assertEqual(request.sudo(self.purchase_user).line_ids.product_id, self.bearing)
        with self.assertRaises(AccessError):
            request.sudo(self.employee).read(["name"])
