from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import PartsCase

REFUSED = (AccessError, UserError, ValidationError)


class GuardCase(PartsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hotline = cls._create_user("guard_hotline", "aftersales_base.group_aftersales_hotline")
        cls.manager_2 = cls._create_user("guard_manager_2",
                                         "aftersales_base.group_aftersales_manager")
        cls.pump = cls._create_part("Test Coolant Pump", "T-PMP", vendor=cls.vendor)
        cls.servo = cls._create_part("Test Servo Motor", "T-SRV40", vendor=cls.vendor)

    def _snapshot(self, request):
        request.invalidate_cache()
        return {
            "state": request.state,
            "date_approved": request.date_approved,
            "reviews": [(r.status, r.done_by.id) for r in request.review_ids],
            "lines": [(l.product_id.id, l.quantity, l.purchase_line_id.id, l.date_issued)
                      for l in request.line_ids],
            "pickings": request.picking_ids.ids,
            "moves": request.mapped("line_ids.move_ids").ids,
            "purchases": request.purchase_ids.ids,
            "purchase_lines": request.mapped("purchase_ids.order_line").ids,
        }

    def _assert_refused(self, request, call):
        """`call` is refused with a clear error and the request is as it was."""
        before = self._snapshot(request)
        with self.assertRaises(REFUSED), self.cr.savepoint():
            call()
        self.assertEqual(self._snapshot(request), before)


class TestPartsRoles(GuardCase):
    """R: P1, P2 - each role does its own step of a parts request, end to end (issue 13)."""

    def test_p1_p2_engineer_asks_manager_approves_clerk_issues_and_returns_core(self):
        self._put_in_stock(self.motor, 1.0)
        request = self._create_request({"product_id": self.motor.id, "destination": "customer"})
        self.assertEqual(request.user_id, self.engineer)
        request.sudo(self.engineer).action_submit()
        self.assertEqual(request.state, "to_approve")
        review = request.review_ids
        self.assertEqual((review.definition_id, review.status, review.requested_by),
                         (self.tier, "pending", self.engineer))
        self.assertFalse(request.picking_ids, "nothing supplied before the approval")

        request.sudo(self.manager).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "approved")
        self.assertEqual((review.status, review.done_by), ("approved", self.manager))
        self.assertEqual(request.approver_id, self.manager, "who approved: from the review")
        self.assertEqual(request.date_approved, review.reviewed_date)
        self.assertEqual(request.line_ids.date_approved, review.reviewed_date)
        picking = request.picking_ids
        self.assertEqual(picking.state, "assigned")

        # the parts clerk (warehouse user through the role) validates the transfer
        self.assertTrue(self.clerk.has_group("stock.group_stock_user"))
        self._ship(picking, self.clerk)
        self.assertEqual(picking.state, "done")
        self.assertEqual(request.state, "done")
        core = request.core_return_ids
        self.assertEqual(core.state, "expected")

        core.sudo(self.clerk).action_receive_from_customer()
        self._ship(core.receipt_picking_id, self.clerk)
        self.assertEqual(core.state, "received")
        core.sudo(self.clerk).write({"vendor_rma_ref": "RMA-77"})
        core.sudo(self.clerk).action_ship_to_vendor()
        self._ship(core.return_picking_id, self.clerk)
        self.assertEqual(core.state, "returned")

    def test_p1_clerk_reruns_supply_after_receipt(self):
        request = self._approve(self._create_request({"product_id": self.bearing.id}))
        order = request.purchase_ids
        order.sudo(self.purchase_user).button_confirm()
        self._ship(order.picking_ids, self.clerk)
        request.sudo(self.clerk).action_supply()
        self.assertEqual(request.line_ids.supply_status, "reserved")

    def test_p1_steps_of_other_roles_are_refused(self):
        request = self._create_request({"product_id": self.bearing.id})
        for user in (self.clerk, self.hotline, self.user):
            self._assert_refused(request, lambda: request.sudo(user).action_submit())
        Request = self.env["aftersales.parts.request"]
        for user in (self.clerk, self.hotline, self.user):
            with self.assertRaises(AccessError), self.cr.savepoint():
                Request.sudo(user).create({
                    "partner_id": self.customer.id,
                    "line_ids": [(0, 0, {"product_id": self.bearing.id})]})
        self._submit(request)
        self._assert_refused(request, lambda: request.sudo(self.engineer).validate_tier())
        self._assert_refused(request, lambda: request.sudo(self.clerk).validate_tier())
        self._approve_as(request, self.manager)
        self._assert_refused(request, lambda: request.sudo(self.engineer).action_supply())
        self._assert_refused(request, lambda: request.sudo(self.hotline).action_supply())
        self._assert_refused(request, lambda: request.sudo(self.clerk).action_cancel())
        self._put_in_stock(self.motor, 1.0)
        core_request = self._approve(self._create_request({"product_id": self.motor.id}))
        self._ship(core_request.picking_ids)
        core = core_request.core_return_ids
        for user in (self.engineer, self.hotline, self.manager):
            with self.assertRaises(AccessError), self.cr.savepoint():
                core.sudo(user).action_receive_from_customer()
        self.assertFalse(core.receipt_picking_id)
        self.assertEqual(core.state, "expected")

    def _approve_as(self, request, manager):
        request.sudo(manager).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "approved")

    def test_p1_requester_never_approves_own_request(self):
        """A manager who asked for parts needs another manager's approval."""
        request = self.env["aftersales.parts.request"].sudo(self.manager).create({
            "partner_id": self.customer.id, "engineer_id": self.engineer.id,
            "line_ids": [(0, 0, {"product_id": self.bearing.id})]})
        request.sudo(self.manager).action_submit()
        self._assert_refused(request, lambda: request.sudo(self.manager).validate_tier())
        self.assertEqual(request.state, "to_approve")
        self._approve_as(request, self.manager_2)
        self.assertEqual(request.approver_id, self.manager_2)

    def test_p1_rejected_request_is_not_supplied(self):
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        request.sudo(self.manager).reject_tier()
        request.invalidate_cache()
        self.assertTrue(request.rejected)
        self.assertEqual(request.state, "to_approve")
        self._assert_refused(request, lambda: request.sudo(self.clerk).action_supply())
        request.sudo(self.engineer).action_cancel()
        self.assertEqual(request.state, "cancel")

    def test_p1_form_shows_tier_buttons_and_reviews(self):
        arch = self.env["aftersales.parts.request"].sudo(self.manager).fields_view_get(
            view_type="form")["arch"]
        for name in ('name="validate_tier"', 'name="reject_tier"', 'name="request_validation"',
                     'widget="tier_validation"', 'name="tier_next_review"'):
            self.assertIn(name, arch)


class TestPartsCheats(GuardCase):
    """Issue 13, item 2 and 3 (R: P1): the cheats of the report, each refused with nothing
    written."""

    def test_p1_state_approved_by_write_is_refused(self):
        self._put_in_stock(self.bearing, 5.0)
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        for user in (self.engineer, self.manager, self.clerk):
            for vals in ({"state": "approved"},
                         {"state": "approved", "approver_id": user.id},
                         {"state": "approved", "date_approved": fields.Datetime.now()},
                         {"state": "done"}, {"state": "draft"}):
                self._assert_refused(request, lambda: request.sudo(user).write(vals))
        self._assert_refused(request, lambda: request.sudo(self.clerk).action_supply())
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.picking_ids)
        self.assertFalse(request.purchase_ids)

    def test_p1_create_approved_is_refused(self):
        Request = self.env["aftersales.parts.request"]
        count = Request.search_count([])
        for vals in ({"state": "approved"}, {"date_approved": fields.Datetime.now()},
                     {"user_id": self.manager.id}):
            with self.assertRaises(REFUSED), self.cr.savepoint():
                Request.sudo(self.engineer).create(dict({
                    "partner_id": self.customer.id,
                    "line_ids": [(0, 0, {"product_id": self.bearing.id})]}, **vals))
        self.assertEqual(Request.search_count([]), count)

    def test_p1_reviews_are_not_approved_by_editing(self):
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        review = request.review_ids
        for user in (self.engineer, self.manager):
            self._assert_refused(request, lambda: review.sudo(user).write(
                {"status": "approved", "done_by": self.manager.id}))
            self._assert_refused(request, lambda: request.sudo(user).write(
                {"review_ids": [(1, review.id, {"status": "approved"})]}))
            self._assert_refused(request, lambda: review.sudo(user).unlink())
        self.assertEqual(review.status, "pending")

    def test_p1_lines_added_after_approval_restart_the_validation(self):
        """One pump approved and reserved; 40 servo motors added: a new approval first, no
        purchase order before it."""
        self._put_in_stock(self.pump, 1.0)
        request = self._approve(self._create_request({"product_id": self.pump.id}))
        picking = request.picking_ids
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(request.purchase_ids)

        request.sudo(self.engineer).write({"line_ids": [(0, 0, {
            "product_id": self.servo.id, "quantity": 40.0})]})
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve")
        review = request.review_ids
        self.assertEqual((review.status, review.requested_by), ("pending", self.engineer))
        self.assertFalse(request.purchase_ids, "no order for the servo motors")
        self.assertEqual(request.picking_ids, picking)
        servo_line = request.line_ids.filtered(lambda l: l.product_id == self.servo)
        self.assertFalse(servo_line.date_approved)
        self.assertTrue(any("approval starts again" in body
                            for body in request.message_ids.mapped("body")))

        # supply is blocked until approved again
        self._assert_refused(request, lambda: request.sudo(self.clerk).action_supply())
        self.assertFalse(request.purchase_ids)
        # the engineer who changed it cannot approve it either
        self._assert_refused(request, lambda: request.sudo(self.engineer).validate_tier())

        request.sudo(self.manager).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.purchase_ids.order_line.product_id, self.servo)
        self.assertEqual(request.purchase_ids.order_line.product_qty, 40.0)
        self.assertTrue(servo_line.date_approved)

    def test_p1_line_created_directly_after_approval_restarts_too(self):
        self._put_in_stock(self.pump, 1.0)
        request = self._approve(self._create_request({"product_id": self.pump.id}))
        self.env["aftersales.parts.request.line"].sudo(self.engineer).create({
            "request_id": request.id, "product_id": self.servo.id, "quantity": 40.0})
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.purchase_ids)
        self._assert_refused(request, lambda: request.sudo(self.clerk).action_supply())

    def test_p1_line_changed_or_removed_after_approval_restarts(self):
        self._put_in_stock(self.pump, 1.0)
        request = self._approve(self._create_request(
            {"product_id": self.pump.id}, {"product_id": self.servo.id}))
        servo_line = request.line_ids.filtered(lambda l: l.product_id == self.servo)
        order = request.purchase_ids
        order.sudo(self.purchase_user).button_cancel()
        # the order is cancelled: the servo line is no longer being supplied
        servo_line.sudo(self.engineer).write({"quantity": 40.0})
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve")
        self._assert_refused(request, lambda: request.sudo(self.clerk).action_supply())
        self.assertEqual(request.purchase_ids, order, "no new order")
        self._approve_again(request)
        self.assertEqual((request.purchase_ids - order).order_line.product_qty, 40.0)

        (request.purchase_ids - order).sudo(self.purchase_user).button_cancel()
        servo_line.sudo(self.engineer).unlink()
        request.invalidate_cache()
        self.assertEqual(request.state, "to_approve", "a removed part needs a new approval too")
        self.assertEqual(request.review_ids.status, "pending")

    def _approve_again(self, request):
        request.sudo(self.manager).validate_tier()
        request.invalidate_cache()
        self.assertEqual(request.state, "approved")

    def test_p1_parts_being_supplied_are_not_changed(self):
        self._put_in_stock(self.bearing, 5.0)
        request = self._approve(self._create_request(
            {"product_id": self.bearing.id}, {"product_id": self.servo.id}))
        reserved, ordered = request.line_ids.sorted(lambda l: l.product_id != self.bearing)
        for line in (reserved, ordered):
            self._assert_refused(request, lambda: line.sudo(self.engineer).write(
                {"quantity": 40.0}))
            self._assert_refused(request, lambda: line.sudo(self.engineer).write(
                {"product_id": self.pump.id}))
            self._assert_refused(request, lambda: line.sudo(self.engineer).unlink())
        self.assertEqual(request.state, "approved")

    def test_p1_supply_fields_are_owned(self):
        request = self._approve(self._create_request({"product_id": self.bearing.id}))
        line = request.line_ids
        other_po_line = self.env["purchase.order"].create({
            "partner_id": self.vendor.id, "order_line": [(0, 0, {
                "product_id": self.bearing.id, "name": "x", "product_qty": 1.0,
                "product_uom": self.bearing.uom_id.id, "price_unit": 1.0,
                "date_planned": fields.Datetime.now()})]}).order_line
        for user in (self.engineer, self.clerk, self.manager):
            for vals in ({"purchase_line_id": other_po_line.id}, {"purchase_line_id": False},
                         {"date_issued": fields.Datetime.now()},
                         {"date_approved": "2020-01-01 00:00:00"}):
                self._assert_refused(request, lambda: line.sudo(user).write(vals))
        with self.assertRaises(REFUSED), self.cr.savepoint():
            self.env["aftersales.parts.request.line"].sudo(self.engineer).create({
                "request_id": self._create_request().id, "product_id": self.bearing.id,
                "date_issued": fields.Datetime.now()})

    def test_p1_issued_or_cancelled_request_parts_locked(self):
        self._put_in_stock(self.bearing, 5.0)
        done = self._approve(self._create_request({"product_id": self.bearing.id}))
        self._ship(done.picking_ids)
        self.assertEqual(done.state, "done")
        cancelled = self._submit(self._create_request({"product_id": self.bearing.id}))
        cancelled.sudo(self.engineer).action_cancel()
        Line = self.env["aftersales.parts.request.line"]
        for request in (done, cancelled):
            line = request.line_ids
            self._assert_refused(request, lambda: line.sudo(self.manager).write({"quantity": 3}))
            self._assert_refused(request, lambda: line.sudo(self.manager).unlink())
            self._assert_refused(request, lambda: Line.sudo(self.manager).create(
                {"request_id": request.id, "product_id": self.servo.id, "quantity": 40.0}))
            self._assert_refused(request, lambda: request.sudo(self.manager).write(
                {"line_ids": [(0, 0, {"product_id": self.servo.id, "quantity": 40.0})]}))
            self._assert_refused(request, lambda: request.sudo(self.manager).write(
                {"partner_id": self.vendor.id}))
        done.sudo(self.manager).write({"note": "Notes stay free."})
        self.assertEqual(done.note, "Notes stay free.")

    def test_p1_line_cannot_move_into_an_approved_request(self):
        self._put_in_stock(self.pump, 1.0)
        approved = self._approve(self._create_request({"product_id": self.pump.id}))
        draft = self._create_request({"product_id": self.servo.id, "quantity": 40.0})
        self._assert_refused(approved, lambda: draft.line_ids.sudo(self.engineer).write(
            {"request_id": approved.id}))
        self.assertEqual(draft.line_ids.request_id, draft)

    def test_p1_submitted_request_header_locked(self):
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        for vals in ({"partner_id": self.vendor.id}, {"warehouse_id": False},
                     {"engineer_id": self.hotline.id}):
            self._assert_refused(request, lambda: request.sudo(self.engineer).write(vals))
        request.sudo(self.engineer).write({"note": "Customer calls at 8:00."})
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.review_ids.status, "pending")

    def test_p1_quantities_must_be_positive(self):
        request = self._create_request({"product_id": self.bearing.id})
        for qty in (0.0, -40.0):
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                    self.cr.savepoint():
                request.line_ids.sudo(self.engineer).write({"quantity": qty})
        request.line_ids.invalidate_cache()
        self.assertEqual(request.line_ids.quantity, 1.0)

    def test_p5_only_a_manager_allows_refurbished(self):
        request = self._submit(self._create_request({"product_id": self.bearing.id}))
        self._assert_refused(request, lambda: request.sudo(self.engineer).write(
            {"allow_refurbished": True}))
        self.assertFalse(request.allow_refurbished)
        request.sudo(self.manager).write({"allow_refurbished": True})
        self.assertTrue(request.allow_refurbished)


class TestCoreReturnGuard(GuardCase):
    """R: P2 - a core's state and its dates change through the parts clerk's steps only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.motor, 1.0)

    def _core(self):
        request = self._approve(self._create_request(
            {"product_id": self.motor.id, "destination": "customer"}))
        self._ship(request.picking_ids)
        return request.core_return_ids

    def _core_state(self, core):
        core.invalidate_cache()
        return (core.state, core.date_received, core.date_returned, core.date_due,
                core.receipt_picking_id.id, core.overdue_activity_scheduled, core.product_id.id)

    def test_p2_core_state_and_dates_by_write_refused(self):
        core = self._core()
        before = self._core_state(core)
        for user in (self.clerk, self.manager, self.engineer):
            for vals in ({"state": "received"}, {"state": "returned"}, {"state": "cancel"},
                         {"date_received": "2026-01-01"}, {"overdue_activity_scheduled": True},
                         {"receipt_picking_id": core.request_id.picking_ids.id}):
                with self.assertRaises(REFUSED), self.cr.savepoint():
                    core.sudo(user).write(vals)
        self.assertEqual(self._core_state(core), before)

    def test_p2_due_date_is_the_managers(self):
        core = self._core()
        before = self._core_state(core)
        with self.assertRaises(AccessError), self.cr.savepoint():
            core.sudo(self.clerk).write({"date_due": "2099-12-31"})
        self.assertEqual(self._core_state(core), before)
        core.sudo(self.manager).write({"date_due": self._days_from_today(60)})
        self.assertEqual(core.date_due, self._days_from_today(60))

    def test_p2_received_core_keeps_what_was_received(self):
        core = self._core()
        core.sudo(self.clerk).action_receive_from_customer()
        self._ship(core.receipt_picking_id)
        self.assertEqual(core.state, "received")
        before = self._core_state(core)
        for vals in ({"product_id": self.bearing.id}, {"quantity": 5.0},
                     {"partner_id": self.vendor.id}):
            with self.assertRaises(UserError), self.cr.savepoint():
                core.sudo(self.clerk).write(vals)
        self.assertEqual(self._core_state(core), before)
        core.sudo(self.clerk).write({"vendor_rma_ref": "RMA-2026-01"})
        self.assertEqual(core.vendor_rma_ref, "RMA-2026-01")

    def test_p2_cancel_by_clerk_or_manager_only(self):
        core = self._core()
        with self.assertRaises(AccessError), self.cr.savepoint():
            core.sudo(self.engineer).action_cancel()
        self.assertEqual(core.state, "expected")
        core.sudo(self.manager).action_cancel()
        self.assertEqual(core.state, "cancel")


class TestGuardDeclarations(PartsCase):
    """Every stored field and every state of the parts models is declared once (issue 13)."""

    def test_declarations_are_complete(self):
        for name in ("aftersales.parts.request", "aftersales.parts.request.line",
                     "aftersales.core.return"):
            model = self.env[name]
            owned, editable, free = (set(model._guard_owned_fields),
                                     set(model._guard_editable_fields),
                                     set(model._guard_free_fields))
            self.assertFalse(owned & editable or owned & free or editable & free, name)
            stored = {fname for fname, field in model._fields.items()
                      if field.store and not field.compute
                      and not model._guard_is_infrastructure(fname)}
            self.assertEqual(stored - owned - editable - free, set(), name)
            state_field = model._fields[model._guard_state_field]
            states = {key for key, _label in state_field._description_selection(self.env)}
            opened, locked = set(model._guard_open_states), set(model._guard_locked_states)
            self.assertFalse(opened & locked, name)
            self.assertEqual(opened | locked, states, name)
            for fname in owned:
                self.assertFalse(model._fields[fname].copy, "%s.%s is copied" % (name, fname))
