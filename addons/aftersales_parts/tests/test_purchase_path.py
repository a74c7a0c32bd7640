from odoo.exceptions import UserError

from .common import PartsCase


class TestPurchasePath(PartsCase):
    """R: P1 - parts short in stock are ordered from their maker, then issued on receipt."""

    def test_p1_short_part_becomes_rfq_to_its_maker_then_is_issued(self):
        self._put_in_stock(self.bearing, 1.0)
        request = self._approve(self._create_request(
            {"product_id": self.bearing.id, "quantity": 3.0, "destination": "customer"}))

        order = request.purchase_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.picking_type_id, self.warehouse.in_type_id,
                         "received into the parts warehouse")
        self.assertEqual(order.order_line.product_id, self.bearing)
        self.assertEqual(order.order_line.product_qty, 3.0)
        self.assertEqual(order.order_line.price_unit, 88.0)
        line = request.line_ids
        self.assertEqual(line.purchase_line_id, order.order_line)
        self.assertEqual(line.supply_status, "to_order")
        self.assertFalse(request.picking_ids, "nothing issued while stock is short")
        self.assertEqual(self._quantity(self.bearing, self.parts_stock), 1.0, "nothing reserved")

        order.sudo(self.purchase_user).button_confirm()
        self.assertEqual(line.supply_status, "ordered")
        request.sudo(self.clerk).action_supply()
        self.assertFalse(request.picking_ids, "not received yet: still nothing to issue")

        self._ship(order.picking_ids)
        self.assertEqual(self.bearing.with_context(location=self.parts_stock.id).qty_available, 4.0)
        self.assertEqual(line.supply_status, "received")

        request.sudo(self.clerk).action_supply()
        picking = request.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.partner_id, self.site_contact)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(line.supply_status, "reserved")
        self._ship(picking)
        self.assertEqual(line.supply_status, "shipped")
        self.assertEqual(request.state, "done")
        self.assertEqual(self.bearing.with_context(location=self.parts_stock.id).qty_available, 1.0)

    def test_p1_rerun_does_not_order_twice(self):
        request = self._approve(self._create_request({"product_id": self.bearing.id}))
        request.sudo(self.clerk).action_supply()
        request.sudo(self.clerk).action_supply()
        self.assertEqual(len(request.purchase_ids), 1)
        self.assertEqual(len(request.purchase_ids.order_line), 1)
        self.assertEqual(request.purchase_ids.order_line.product_qty, 1.0)

    def test_p1_lines_to_one_maker_share_one_rfq(self):
        self._put_in_stock(self.bearing, 1.0)
        request = self._approve(self._create_request(
            {"product_id": self.bearing.id, "quantity": 1.0},
            {"product_id": self.bearing.id, "quantity": 2.0},
            {"product_id": self.motor.id, "quantity": 1.0}))
        self.assertEqual(len(request.picking_ids.move_lines), 1,
                         "the stock of one bearing serves the first line only")
        self.assertEqual(len(request.purchase_ids), 1)
        self.assertEqual(sorted(request.purchase_ids.order_line.mapped("product_qty")), [1.0, 2.0])

    def test_p1_part_without_vendor_is_a_clear_error(self):
        request = self._create_request({"product_id": self.no_vendor_part.id})
        self._submit(request)
        with self.assertRaisesRegex(UserError, "no vendor"), self.cr.savepoint():
            request.sudo(self.manager).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.purchase_ids)

    def test_p1_cancel_refused_while_ordered(self):
        request = self._approve(self._create_request({"product_id": self.bearing.id}))
        with self.assertRaises(UserError):
            request.sudo(self.engineer).action_cancel()
        self.assertEqual(request.state, "approved")
        cancelled = request.purchase_ids
        cancelled.sudo(self.purchase_user).button_cancel()
        request.sudo(self.engineer).action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertEqual(request.line_ids.supply_status, "cancel")

        request.sudo(self.engineer).action_draft()
        self._approve(request)
        reordered = request.purchase_ids - cancelled
        self.assertEqual(len(reordered), 1, "a cancelled order does not serve the line any more")
        self.assertEqual(request.line_ids.purchase_line_id, reordered.order_line)
        self.assertEqual(request.line_ids.supply_status, "to_order")
