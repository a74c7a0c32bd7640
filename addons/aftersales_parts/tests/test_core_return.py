from odoo.exceptions import UserError

from .common import PartsCase


class TestCoreReturn(PartsCase):
    """R: P2 - the defective core comes back from the customer and goes back to the maker."""

    def _issue_motor(self):
        self._put_in_stock(self.motor, 1.0)
        request = self._approve(self._create_request(
            {"product_id": self.motor.id, "destination": "customer"}))
        self._ship(request.picking_ids)
        return request

    def _cores(self):
        return self.env["aftersales.core.return"].search([("product_id", "=", self.motor.id)])

    def test_p2_core_return_lifecycle(self):
        request = self._issue_motor()
        core = request.core_return_ids
        self.assertEqual(len(core), 1)
        self.assertEqual(core.state, "expected")
        self.assertEqual(core.partner_id, self.customer)
        self.assertEqual(core.vendor_id, self.vendor)
        self.assertEqual(core.quantity, 1.0)
        self.assertEqual(core.date_due, self._days_from_today(30))
        self.assertFalse(core.is_overdue)

        with self.assertRaises(UserError):
            core.sudo(self.clerk).action_ship_to_vendor()

        core.sudo(self.clerk).action_receive_from_customer()
        receipt = core.receipt_picking_id
        self.assertEqual(receipt.location_id, self.customer_location)
        self.assertEqual(receipt.location_dest_id, self.core_location)
        core.sudo(self.clerk).action_receive_from_customer()
        self.assertEqual(core.receipt_picking_id, receipt, "never two receipts")
        self._ship(receipt)
        self.assertEqual(core.state, "received")
        self.assertTrue(core.date_received)
        self.assertEqual(self._quantity(self.motor, self.core_location), 1.0)
        self.assertEqual(self._quantity(self.motor, self.parts_stock), 0.0,
                         "a defective core is not stock to issue")

        with self.assertRaisesRegex(UserError, "RMA"):
            core.sudo(self.clerk).action_ship_to_vendor()
        self.assertFalse(core.return_picking_id)
        core.sudo(self.clerk).vendor_rma_ref = "RMA-2026-0178"
        core.sudo(self.clerk).action_ship_to_vendor()
        shipment = core.return_picking_id
        self.assertEqual(shipment.partner_id, self.vendor)
        self.assertEqual(shipment.location_id, self.core_location)
        self.assertEqual(shipment.location_dest_id, self.supplier_location)
        self.assertIn("RMA-2026-0178", shipment.origin)
        self._ship(shipment)
        self.assertEqual(core.state, "returned")
        self.assertTrue(core.date_returned)
        self.assertEqual(self._quantity(self.motor, self.core_location), 0.0)

    def test_p2_issuing_again_does_not_expect_the_core_twice(self):
        request = self._issue_motor()
        request.line_ids._register_moves_done()
        self.env["aftersales.core.return"]._create_for_lines(request.line_ids)
        self.assertEqual(len(self._cores()), 1)

    def test_p2_overdue_core_is_listed_per_customer_and_reminded_once(self):
        request = self._issue_motor()
        core = request.core_return_ids
        self.assertEqual(self.customer.aftersales_core_overdue_count, 0)
        core.sudo(self.manager).date_due = self._days_from_today(-1)
        self.customer.invalidate_cache()
        self.assertTrue(core.is_overdue)
        self.assertEqual(self.customer.aftersales_core_overdue_count, 1)
        overdue = self.env["aftersales.core.return"].search(
            [("is_overdue", "=", True), ("partner_id", "=", self.customer.id)])
        self.assertEqual(overdue, core)
        action = self.customer.action_view_overdue_core_returns()
        self.assertEqual(self.env["aftersales.core.return"].search(action["domain"]), core)

        Core = self.env["aftersales.core.return"]
        Core._cron_schedule_overdue_activities()
        Core._cron_schedule_overdue_activities()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "aftersales.core.return"), ("res_id", "=", core.id)])
        self.assertEqual(len(activities), 1, "one reminder, never twice")
        self.assertEqual(activities.user_id, self.engineer, "the requester chases the customer")
        activities.action_done()
        Core._cron_schedule_overdue_activities()
        self.assertFalse(self.env["mail.activity"].search(
            [("res_model", "=", "aftersales.core.return"), ("res_id", "=", core.id)]))

        core.sudo(self.clerk).action_receive_from_customer()
        self._ship(core.receipt_picking_id)
        self.customer.invalidate_cache()
        self.assertFalse(core.is_overdue)
        self.assertEqual(self.customer.aftersales_core_overdue_count, 0)

    def test_p2_core_returns_are_not_deleted(self):
        core = self._issue_motor().core_return_ids
        with self.assertRaises(UserError):
            core.unlink()
        self.assertTrue(core.exists())
