"""Approvals of repairs on tier validation, the roles that process repairs, and the cheats of
issue 13 on repairs and coverage, each refused with nothing changed. R: S11, S12, S13, W1-W6."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .test_repair import RepairCase

REFUSED = (AccessError, UserError, ValidationError)


class ApprovalCase(RepairCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spindle_unit = cls.env["product.product"].create({
            "name": "Spindle Unit", "type": "product", "standard_price": 56700.0,
            "list_price": 70000.0})
        cls.production = cls.env["stock.location"].search([("usage", "=", "production")],
                                                          limit=1)

    def _part_vals(self, product, qty=1.0, price=None):
        return {"type": "add", "product_id": product.id, "name": product.name,
                "product_uom_qty": qty, "product_uom": product.uom_id.id,
                "price_unit": product.list_price if price is None else price,
                "location_id": self.stock_location.id,
                "location_dest_id": self.production.id}

    def _labour_repair(self, **ticket_vals):
        """A free repair of labour and travel only: cost 600, below the threshold."""
        ticket = self._create_ticket(self.archive, date_reported="2027-06-01 03:00:00",
                                     **ticket_vals)
        repair = self.env["mrp.repair"].browse(
            ticket.sudo(self.hotline).action_create_repair()["res_id"])
        self._add_lines(repair)
        repair.operations.sudo(self.engineer).unlink()
        return repair

    def _paid_repair(self):
        return self._repair_from_ticket(
            exclusion_id=self.env.ref("aftersales_warranty.exclusion_misuse").id)

    def _review_names(self, repair):
        return [review.name for review in self._pending(repair)]


class TestRepairApproval(ApprovalCase):
    """R: S11 - cost budget approval by every level, in order, each by another person."""

    def test_s11_manager_then_general_manager_approve(self):
        repair = self._repair_from_ticket()
        self.assertEqual(repair.internal_cost, 1400.0)
        self.assertTrue(repair.cost_over_threshold)
        repair.sudo(self.engineer).request_validation()
        self.assertEqual(self._review_names(repair),
                         ["Cost budget: after-sales manager", "Cost budget: general manager"])
        repair.sudo(self.manager).validate_tier()
        self.assertEqual(self._review_names(repair), ["Cost budget: general manager"])
        repair.sudo(self.general_manager).validate_tier()
        repair.invalidate_cache()
        self.assertTrue(repair.validated)
        reviews = repair.review_ids.sorted(lambda r: r.definition_id.sequence)
        self.assertEqual(reviews.mapped("done_by"), self.manager + self.general_manager)
        self.assertTrue(all(reviews.mapped("reviewed_date")))
        self.assertEqual(reviews.mapped("requested_by"), self.engineer)
        repair.sudo(self.engineer).action_repair_confirm()
        self.assertEqual(repair.state, "confirmed")

    def test_s11_confirm_refused_before_approval(self):
        repair = self._repair_from_ticket()
        with self.assertRaisesRegex(UserError, "not approved"), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_confirm()
        repair.sudo(self.engineer).request_validation()
        repair.sudo(self.manager).validate_tier()
        with self.assertRaisesRegex(UserError, "general manager"), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_confirm()
        repair.invalidate_cache()
        self.assertEqual(repair.state, "draft")

    def test_s11_one_general_manager_cannot_approve_both_levels(self):
        """The general manager holds the manager's group too: he approves one level only."""
        repair = self._repair_from_ticket()
        repair.sudo(self.engineer).request_validation()
        repair.sudo(self.general_manager).validate_tier()
        with self.assertRaisesRegex(UserError, "already approved"), self.cr.savepoint():
            repair.sudo(self.general_manager).validate_tier()
        self.assertEqual(self._review_names(repair), ["Cost budget: general manager"])
        self.assertFalse(repair._tier_is_validated())

    def test_s11_levels_in_order_and_reviewers_only(self):
        repair = self._repair_from_ticket()
        repair.sudo(self.engineer).request_validation()
        for user in (self.engineer, self.hotline, self.user):
            with self.assertRaises(UserError), self.cr.savepoint():
                repair.sudo(user).validate_tier()
        self.assertEqual(len(self._pending(repair)), 2)

    def test_s11_requester_never_approves(self):
        repair = self._repair_from_ticket()
        repair.sudo(self.manager).request_validation()
        with self.assertRaisesRegex(UserError, "cannot approve"), self.cr.savepoint():
            repair.sudo(self.manager).validate_tier()
        self.assertEqual(len(self._pending(repair)), 2)

    def test_s11_creator_never_approves(self):
        ticket = self._create_ticket(self.archive, date_reported="2027-06-01 03:00:00")
        repair = self.env["mrp.repair"].browse(
            ticket.sudo(self.manager).action_create_repair()["res_id"])
        self._add_lines(repair)
        repair.sudo(self.engineer).request_validation()
        with self.assertRaisesRegex(UserError, "cannot approve"), self.cr.savepoint():
            repair.sudo(self.manager).validate_tier()
        self.assertEqual(len(self._pending(repair)), 2)

    def test_s11_below_threshold_needs_nothing(self):
        self.company.aftersales_approval_threshold = 2000.0
        repair = self._repair_from_ticket()
        self.assertFalse(repair.cost_over_threshold)
        self.assertFalse(repair.need_validation)
        repair.sudo(self.engineer).action_repair_confirm()
        self.assertEqual(repair.state, "confirmed")

    def test_s11_default_threshold_is_1000(self):
        company = self.env["res.company"].create({"name": "Second Works"})
        self.assertEqual(company.aftersales_approval_threshold, 1000.0)

    def test_s11_change_in_quotation_after_approval_restarts(self):
        repair = self._repair_from_ticket()
        self._approve(repair)
        repair.fees_lines.filtered(lambda f: f.fee_type == "labour").sudo(
            self.engineer).product_uom_qty = 5.0
        repair.invalidate_cache()
        self.assertFalse(repair.review_ids)
        self.assertTrue(repair.need_validation)
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_confirm()
        self._approve(repair)
        repair.sudo(self.engineer).action_repair_confirm()
        self.assertEqual(repair.state, "confirmed")

    def test_s11_lines_added_under_repair_restart_and_block_the_end(self):
        repair = self._repair_from_ticket()
        self._approve(repair)
        repair.sudo(self.engineer).action_repair_confirm()
        repair.sudo(self.engineer).action_repair_start()
        repair.sudo(self.engineer).write(
            {"operations": [(0, 0, self._part_vals(self.spindle_unit))]})
        self.assertEqual(repair.internal_cost, 1400.0 + 56700.0)
        repair.invalidate_cache()
        self.assertFalse(repair.review_ids, "the approval of 1,400 does not cover 58,100")
        with self.assertRaisesRegex(UserError, "not approved"), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_end()
        repair.invalidate_cache()
        self.assertEqual(repair.state, "under_repair")
        self.assertFalse(repair.move_id)
        # approved again, under repair, by every level
        self._approve(repair)
        repair.sudo(self.engineer).action_repair_end()
        self.assertEqual(repair.state, "done")

    def test_s11_600_becomes_57300_under_repair(self):
        """Issue 13: a repair below the threshold grows past it while under repair."""
        repair = self._labour_repair()
        self.assertEqual(repair.internal_cost, 600.0)
        self.assertFalse(repair.need_validation)
        repair.sudo(self.engineer).action_repair_confirm()
        repair.sudo(self.engineer).action_repair_start()
        self.env["mrp.repair.line"].sudo(self.engineer).create(
            dict(self._part_vals(self.spindle_unit), repair_id=repair.id))
        self.assertEqual(repair.internal_cost, 57300.0)
        with self.assertRaisesRegex(UserError, "not approved"), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_end()
        repair.invalidate_cache()
        self.assertEqual(repair.state, "under_repair")
        self.assertTrue(repair.need_validation)
        self._approve(repair)
        repair.sudo(self.engineer).action_repair_end()
        self.assertEqual(repair.state, "done")

    def test_s11_deleting_a_line_after_approval_restarts(self):
        repair = self._repair_from_ticket()
        self._approve(repair)
        repair.sudo(self.engineer).action_repair_confirm()
        repair.fees_lines.filtered(lambda f: f.fee_type == "travel").sudo(
            self.engineer).unlink()
        repair.invalidate_cache()
        self.assertFalse(repair.review_ids)
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_start()
        self.assertEqual(repair.state, "confirmed")

    def test_negative_lines_refused(self):
        """Issue 13: a +1 and a -1 line hide a cost (0 in total, no approval): refused."""
        repair = self._repair_from_ticket()
        lines, fees = repair.operations, repair.fees_lines
        cases = [
            {"operations": [(0, 0, self._part_vals(self.spindle_unit, qty=1.0)),
                            (0, 0, self._part_vals(self.spindle_unit, qty=-1.0))]},
            {"fees_lines": [(0, 0, {"product_id": self.labour.id, "name": "Labour back",
                                    "product_uom_qty": -3.0,
                                    "product_uom": self.labour.uom_id.id,
                                    "price_unit": 200.0})]},
            {"operations": [(1, lines.id, {"price_unit": -1000.0})]},
        ]
        for vals in cases:
            with self.assertRaises(ValidationError), self.cr.savepoint():
                repair.sudo(self.engineer).write(vals)
        repair.invalidate_cache()
        self.assertEqual((repair.operations, repair.fees_lines), (lines, fees))
        self.assertEqual(lines.price_unit, 1000.0)
        self.assertEqual(repair.internal_cost, 1400.0)


class TestRepairQuoteAndGoodwill(ApprovalCase):
    """R: S12 - a paid quote is approved by a leader; R: S13 - free out of warranty only
    with the general manager's approval."""

    def test_s12_paid_quote_approved_by_the_leader_first(self):
        repair = self._paid_repair()
        self.assertEqual(repair.coverage_decision, "paid")
        with self.assertRaisesRegex(UserError, "not approved"), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_confirm()
        repair.sudo(self.engineer).request_validation()
        self.assertEqual(self._review_names(repair), ["Paid quote: after-sales manager"])
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).validate_tier()
        repair.sudo(self.manager).validate_tier()
        repair.sudo(self.engineer).action_repair_confirm()
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.invoice_method, "after_repair")

    def test_s12_quote_price_change_after_approval_restarts(self):
        repair = self._paid_repair()
        self._approve(repair)
        repair.operations.sudo(self.engineer).price_unit = 10.0
        repair.invalidate_cache()
        self.assertFalse(repair.review_ids)
        self.assertTrue(repair.need_validation)

    def test_s13_goodwill_needs_the_general_manager(self):
        self.company.aftersales_approval_threshold = 5000.0
        repair = self._repair_from_ticket(date="2028-06-01 03:00:00")
        self.assertEqual(repair.coverage_decision, "paid")
        repair.sudo(self.engineer).action_request_goodwill()
        self.assertTrue(repair.free_of_charge)
        self.assertTrue(repair.is_free)
        self.assertEqual(self._review_names(repair),
                         ["Free repair out of warranty: general manager"])
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_confirm()
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.manager).validate_tier()
        repair.sudo(self.general_manager).validate_tier()
        self._run(repair)
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.invoice_method, "none")
        self.assertFalse(repair.invoice_id)

    def test_s13_goodwill_above_the_threshold(self):
        """The budget's manager level, then the general manager's goodwill: one level each."""
        repair = self._repair_from_ticket(date="2028-06-01 03:00:00")
        repair.sudo(self.engineer).action_request_goodwill()
        self.assertEqual(self._review_names(repair), [
            "Cost budget: after-sales manager", "Free repair out of warranty: general manager"])
        repair.sudo(self.manager).validate_tier()
        repair.sudo(self.general_manager).validate_tier()
        repair.sudo(self.engineer).action_repair_confirm()
        self.assertEqual(repair.invoice_method, "none")

    def test_s13_goodwill_withdrawn_is_paid_again(self):
        self.company.aftersales_approval_threshold = 5000.0
        repair = self._repair_from_ticket(date="2028-06-01 03:00:00")
        repair.sudo(self.engineer).action_request_goodwill()
        repair.sudo(self.engineer).action_withdraw_goodwill()
        self.assertFalse(repair.is_free)
        repair.invalidate_cache()
        self.assertFalse(repair.review_ids)
        self._run(repair)
        self.assertEqual(repair.state, "2binvoiced")

    def test_s13_goodwill_only_on_paid_repairs(self):
        repair = self._repair_from_ticket()
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).action_request_goodwill()
        self.assertFalse(repair.free_of_charge)


class TestRepairCheats(ApprovalCase):
    """Issue 13 cheats on repairs, coverage and approvals: refused, and nothing written."""

    def test_w_engineer_cannot_write_a_free_decision_on_a_paid_repair(self):
        repair = self._paid_repair()
        for user in (self.engineer, self.hotline, self.manager):
            for vals in ({"coverage_decision": "free_repair"}, {"free_of_charge": True},
                         {"coverage_reason": "Covered"},
                         {"coverage_warranty_id": self._standard(self.archive).id}):
                with self.assertRaises(UserError), self.cr.savepoint():
                    repair.sudo(user).write(vals)
        repair.invalidate_cache()
        self.assertEqual(repair.coverage_decision, "paid")
        self.assertFalse(repair.free_of_charge)
        self.assertFalse(repair.is_free)
        self.assertFalse(repair.coverage_warranty_id)
        # confirming still needs the leader's approval of the paid quote (R: S12)
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_confirm()

    def test_w_repair_created_with_a_decision_refused(self):
        vals = {"product_id": self.product.id, "product_uom": self.product.uom_id.id,
                "lot_id": self.archive.lot_id.id, "partner_id": self.customer.id,
                "archive_id": self.archive.id, "location_id": self.customer_location.id,
                "location_dest_id": self.customer_location.id,
                "coverage_decision": "free_repair"}
        count = self.env["mrp.repair"].search_count([])
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["mrp.repair"].sudo(self.engineer).create(vals)
        self.assertEqual(self.env["mrp.repair"].search_count([]), count)

    def test_w_hotline_cannot_write_a_free_decision_on_a_ticket(self):
        ticket = self._create_ticket(
            self.archive, date_reported="2028-06-01 03:00:00").sudo(self.hotline)
        ticket.action_decide_coverage()
        self.assertEqual(ticket.coverage_decision, "paid")
        reason = ticket.coverage_reason
        for vals in ({"coverage_decision": "free_repair"}, {"coverage_reason": "In warranty"},
                     {"coverage_date": "2027-01-01"}):
            with self.assertRaises(UserError), self.cr.savepoint():
                ticket.write(vals)
        ticket.invalidate_cache()
        self.assertEqual((ticket.coverage_decision, ticket.coverage_reason), ("paid", reason))
        # the repair made from it takes its decision from the engine
        repair = self.env["mrp.repair"].browse(ticket.action_create_repair()["res_id"])
        self.assertEqual(repair.coverage_decision, "paid")
        self.assertFalse(repair.is_free)

    def test_s11_state_written_while_approvals_are_pending_refused(self):
        repair = self._repair_from_ticket()
        repair.sudo(self.engineer).request_validation()
        for user in (self.engineer, self.manager, self.general_manager):
            with self.assertRaises(REFUSED), self.cr.savepoint():
                repair.sudo(user).write({"state": "confirmed"})
        repair.invalidate_cache()
        self.assertEqual(repair.state, "draft")
        self.assertEqual(len(self._pending(repair)), 2)

    def test_flow_fields_of_an_aftersales_repair_refused(self):
        repair = self._paid_repair()
        self._approve(repair)
        repair.sudo(self.engineer).action_repair_confirm()
        for vals in ({"state": "done"}, {"invoiced": True}, {"repaired": True}):
            with self.assertRaises(UserError), self.cr.savepoint():
                repair.sudo(self.engineer).write(vals)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            repair.sudo(self.engineer).write({"invoice_method": "none"})
        repair.invalidate_cache()
        self.assertEqual((repair.state, repair.invoiced, repair.repaired, repair.invoice_method),
                         ("confirmed", False, False, "after_repair"))

    def test_quotation_not_made_ready_past_its_confirmation(self):
        repair = self._labour_repair()
        with self.assertRaises(UserError), self.cr.savepoint():
            repair.sudo(self.engineer).action_repair_ready()
        repair.invalidate_cache()
        self.assertEqual(repair.state, "draft")

    def test_reviews_written_directly_refused(self):
        repair = self._repair_from_ticket()
        repair.sudo(self.engineer).request_validation()
        review = self._pending(repair)[0]
        definition = self.env.ref("aftersales_warranty.tier_definition_repair_budget_manager")
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["tier.review"].sudo(self.engineer).create({
                "model": "mrp.repair", "res_id": repair.id, "definition_id": definition.id,
                "status": "approved", "done_by": self.engineer.id})
        for user in (self.engineer, self.manager):
            with self.assertRaises(UserError), self.cr.savepoint():
                review.sudo(user).write({"status": "approved", "done_by": user.id})
            with self.assertRaises(UserError), self.cr.savepoint():
                review.sudo(user).unlink()
            with self.assertRaises(UserError), self.cr.savepoint():
                repair.sudo(user).write({"review_ids": [(2, review.id)]})
        review.invalidate_cache()
        self.assertEqual(len(self._pending(repair)), 2)
        self.assertEqual(review.status, "pending")
        self.assertFalse(review.done_by)

    def test_unit_removed_from_an_aftersales_repair_refused(self):
        repair = self._repair_from_ticket()
        for vals in ({"archive_id": False}, {"ticket_id": False}):
            with self.assertRaises(UserError), self.cr.savepoint():
                repair.sudo(self.engineer).write(vals)
        repair.invalidate_cache()
        self.assertTrue(repair.archive_id and repair.ticket_id)


class TestRepairRoles(ApprovalCase):
    """Issue 13: every role that repairs ends its repair; Odoo's stock users keep theirs."""

    def test_engineer_ends_a_repair(self):
        repair = self._labour_repair()
        repair.sudo(self.engineer).write(
            {"operations": [(0, 0, self._part_vals(self.part, price=1000.0))]})
        self.company.aftersales_approval_threshold = 5000.0
        self._run(repair, user=self.engineer)
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.move_id.state, "done")
        self.assertEqual(repair.operations.move_id.state, "done")

    def test_manager_ends_a_repair(self):
        repair = self._labour_repair()
        self._run(repair, user=self.manager)
        self.assertEqual(repair.state, "done")

    def test_user_without_a_role_cannot_create_a_repair(self):
        ticket = self._create_ticket(self.archive, date_reported="2027-06-01 03:00:00")
        with self.assertRaises(AccessError), self.cr.savepoint():
            ticket.sudo(self.user).action_create_repair()
        self.assertFalse(ticket.repair_ids)

    def test_stock_user_processes_a_repair_of_odoo(self):
        """Installing the suite takes nothing from Odoo's repair users."""
        product = self.env["product.product"].create({"name": "Pump", "type": "consu"})
        Repair = self.env["mrp.repair"].sudo(self.stock_user)
        repair = Repair.create({
            "product_id": product.id, "product_uom": product.uom_id.id,
            "location_id": self.stock_location.id, "location_dest_id": self.stock_location.id,
            "operations": [(0, 0, self._part_vals(self.part, price=50.0))]})
        view = Repair.fields_view_get(view_type="form")
        repair.read(list(view["fields"]))
        repair.action_repair_confirm()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")

    def test_stock_user_opens_and_processes_an_aftersales_repair(self):
        repair = self._labour_repair()
        as_stock = repair.sudo(self.stock_user)
        view = as_stock.fields_view_get(view_type="form")
        as_stock.read(list(view["fields"]))
        self.env["mrp.repair"].sudo(self.stock_user).search_read(
            [("id", "=", repair.id)], list(view["fields"]))
        as_stock.action_repair_confirm()
        as_stock.action_repair_start()
        as_stock.action_repair_end()
        self.assertEqual(repair.state, "done")
        # but the stock user does not decide the coverage
        with self.assertRaises(UserError), self.cr.savepoint():
            as_stock.write({"coverage_decision": "free_replacement"})


class TestAcceptanceDate(RepairCase):
    """R: W2, W3 - the repair window runs from the acceptance date, which does not revive an
    expired warranty."""

    def test_w2_engineer_cannot_move_the_acceptance_date(self):
        standard = self._standard(self.archive)
        end = standard.date_end
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.archive.sudo(self.engineer).write({"acceptance_date": "2026-11-01"})
        self.archive.invalidate_cache()
        standard.invalidate_cache()
        self.assertEqual((self.archive.acceptance_date, standard.date_end),
                         ("2026-02-01", end))

    def test_w3_engineer_cannot_revive_an_expired_warranty(self):
        archive = self._deliver_unit("OLD-001", delivery_date="2020-01-10")
        standard = self._standard(archive)
        self.assertEqual(standard.date_end, "2022-01-09")
        with self.assertRaises(AccessError), self.cr.savepoint():
            archive.sudo(self.engineer).write({"acceptance_date": "2026-11-01"})
        archive.invalidate_cache()
        standard.invalidate_cache()
        self.assertFalse(archive.acceptance_date)
        self.assertEqual(standard.date_end, "2022-01-09")

    def test_w2_acceptance_dates_in_order(self):
        archive = self._deliver_unit("NEW-001", delivery_date="2026-06-10")
        for date in ("2026-06-01", "2099-01-01"):
            with self.assertRaises(UserError), self.cr.savepoint():
                archive.sudo(self.manager).write({"acceptance_date": date})
        # the acceptance date is the after-sales manager's (base: delivery facts per role)
        archive.sudo(self.manager).write({"acceptance_date": "2026-06-20"})
        self.assertEqual(self._standard(archive).date_end, "2028-06-19")

    def test_w2_manager_corrects_the_acceptance_date(self):
        self.archive.sudo(self.manager).write({"acceptance_date": "2026-02-10"})
        self.assertEqual(self._standard(self.archive).date_end, "2028-02-09")
