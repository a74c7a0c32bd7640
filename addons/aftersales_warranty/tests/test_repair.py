from odoo.exceptions import UserError

from .common import WarrantyCase


class RepairCase(WarrantyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # delivered 2026-01-15, accepted 2026-02-01: free repair until 2028-01-31
        cls.archive = cls._deliver_unit(
            "REP-001", delivery_date="2026-01-15", acceptance_date="2026-02-01")
        cls.part = cls.env["product.product"].create({
            "name": "Spindle Bearing", "type": "product", "standard_price": 800.0,
            "list_price": 1000.0})
        cls.labour = cls.env["product.product"].create({
            "name": "Service Hour", "type": "service", "standard_price": 100.0,
            "list_price": 200.0})
        cls.travel = cls.env["product.product"].create({
            "name": "Travel Wuxi", "type": "service", "standard_price": 300.0,
            "list_price": 400.0})
        cls._ensure_accounting()

    @classmethod
    def _ensure_accounting(cls):
        Account = cls.env["account.account"]
        receivable = Account.search([("internal_type", "=", "receivable")], limit=1) \
            or Account.create({
                "code": "TREC", "name": "Receivable", "reconcile": True,
                "user_type_id": cls.env.ref("account.data_account_type_receivable").id})
        income = Account.create({
            "code": "TINC", "name": "Service Income",
            "user_type_id": cls.env.ref("account.data_account_type_revenue").id})
        if not cls.env["account.journal"].search([("type", "=", "sale")], limit=1):
            cls.env["account.journal"].create({"name": "Sales", "code": "TSAJ", "type": "sale"})
        cls.customer.property_account_receivable_id = receivable
        (cls.part + cls.labour + cls.travel).write({"property_account_income_id": income.id})

    def _repair_from_ticket(self, date="2027-06-01 03:00:00", **ticket_vals):
        """A repair made from a service request by the hotline, with a part, labour and
        travel (cost 1,400: above the threshold when free)."""
        ticket = self._create_ticket(self.archive, date_reported=date, **ticket_vals)
        action = ticket.sudo(self.hotline).action_create_repair()
        repair = self.env["mrp.repair"].browse(action["res_id"])
        self._add_lines(repair)
        return repair

    def _add_lines(self, repair):
        stock = self.stock_location
        production = self.env["stock.location"].search([("usage", "=", "production")], limit=1)
        repair.sudo(self.engineer).write({
            "operations": [(0, 0, {
                "type": "add", "product_id": self.part.id, "name": "Spindle bearing",
                "product_uom_qty": 1.0, "product_uom": self.part.uom_id.id,
                "price_unit": 1000.0, "location_id": stock.id,
                "location_dest_id": production.id})],
            "fees_lines": [
                (0, 0, {"fee_type": "labour", "product_id": self.labour.id, "name": "Labour",
                        "product_uom_qty": 3.0, "product_uom": self.labour.uom_id.id,
                        "price_unit": 200.0}),
                (0, 0, {"fee_type": "travel", "product_id": self.travel.id, "name": "Travel",
                        "product_uom_qty": 1.0, "product_uom": self.travel.uom_id.id,
                        "price_unit": 400.0}),
            ],
        })

    def _reviewer_for(self, review):
        if review.reviewer_group_id == self.env.ref(
                "aftersales_warranty.group_aftersales_general_manager"):
            return self.general_manager
        return self.manager

    def _approve(self, repair, requester=None):
        """Request the approval (as the engineer) and approve every level in order, each
        by the role it belongs to (R: S11-S13)."""
        repair.invalidate_cache()
        if repair.need_validation:
            repair.sudo(requester or self.engineer).request_validation()
        pending = self._pending(repair)
        while pending:
            repair.sudo(self._reviewer_for(pending[0])).validate_tier()
            pending = self._pending(repair)
        self.assertTrue(repair._tier_is_validated())

    def _run(self, repair, user=None):
        """Approve what needs it, then confirm, start and end the repair as the engineer."""
        user = user or self.engineer
        self._approve(repair)
        repair.sudo(user).action_repair_confirm()
        repair.sudo(user).action_repair_start()
        repair.sudo(user).action_repair_end()

    def _pending(self, repair):
        repair.invalidate_cache()
        return repair._tier_pending_reviews()


class TestRepairBilling(RepairCase):
    """R: S12, W3, A5 - paid repairs bill parts, labour and travel; free ones bill nothing."""

    def test_repair_from_ticket_carries_unit_decision_customer(self):
        ticket = self._create_ticket(self.archive, date_reported="2027-06-01 03:00:00")
        action = ticket.sudo(self.hotline).action_create_repair()
        repair = self.env["mrp.repair"].browse(action["res_id"])
        self.assertEqual(repair.ticket_id, ticket)
        self.assertEqual(repair.archive_id, self.archive)
        self.assertEqual(repair.lot_id, self.archive.lot_id)
        self.assertEqual(repair.product_id, self.product)
        self.assertEqual(repair.partner_id, self.customer)
        self.assertEqual(repair.coverage_decision, "free_repair")
        self.assertEqual(ticket.coverage_decision, "free_repair")
        self.assertEqual(ticket.repair_count, 1)
        self.assertEqual(repair.invoice_method, "none")

    def test_s12_paid_repair_invoices_parts_labour_travel(self):
        repair = self._repair_from_ticket(
            exclusion_id=self.env.ref("aftersales_warranty.exclusion_misuse").id)
        self.assertEqual(repair.coverage_decision, "paid")
        self.assertFalse(repair.is_free)
        self.assertEqual(repair.amount_untaxed, 2000.0)
        self._run(repair)
        self.assertEqual(repair.invoice_method, "after_repair")
        self.assertEqual(repair.state, "2binvoiced")
        repair.action_repair_invoice_create()
        invoice = repair.invoice_id
        self.assertEqual(invoice.amount_untaxed, 2000.0)
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("price_subtotal")),
                         [400.0, 600.0, 1000.0])
        self.assertEqual(invoice.partner_id, self.customer)

    def test_w3_free_repair_bills_nothing_but_costs(self):
        repair = self._repair_from_ticket()
        self.assertTrue(repair.is_free)
        self.assertEqual(repair.parts_cost, 800.0)
        self.assertEqual(repair.labour_cost, 300.0)
        self.assertEqual(repair.travel_cost, 300.0)
        self.assertEqual(repair.internal_cost, 1400.0)
        self._run(repair)
        self.assertEqual(repair.invoice_method, "none")
        self.assertEqual(repair.state, "done")
        self.assertFalse(repair.invoice_id)
        self.assertEqual(repair.amount_untaxed, 0.0)
        self.assertEqual(repair.internal_cost, 1400.0)

    def test_free_repair_bills_what_the_policy_does_not_cover(self):
        self.policy.cover_travel = False
        repair = self._repair_from_ticket()
        self._run(repair)
        self.assertEqual(repair.invoice_method, "after_repair")
        repair.action_repair_invoice_create()
        self.assertEqual(repair.invoice_id.amount_untaxed, 400.0)

    def test_w3_removed_parts_go_to_defective_location(self):
        repair = self._repair_from_ticket()
        defective = self.env.ref("aftersales_warranty.stock_location_defective_parts")
        production = self.env["stock.location"].search([("usage", "=", "production")], limit=1)
        repair.sudo(self.engineer).write({"operations": [(0, 0, {
            "type": "remove", "product_id": self.part.id, "name": "Worn bearing",
            "product_uom_qty": 1.0, "product_uom": self.part.uom_id.id, "price_unit": 0.0,
            "location_id": production.id, "location_dest_id": self.customer_location.id})]})
        removal = repair.operations.filtered(lambda l: l.type == "remove")
        self.assertEqual(removal.location_dest_id, defective)
        removal.write({"location_dest_id": self.customer_location.id})
        self.assertEqual(removal.location_dest_id, defective)
        self._run(repair)
        self.assertEqual(removal.move_id.location_dest_id, defective)
        self.assertEqual(removal.move_id.state, "done")
        quantity = sum(self.env["stock.quant"].search([
            ("product_id", "=", self.part.id), ("location_id", "=", defective.id)
        ]).mapped("quantity"))
        self.assertEqual(quantity, 1.0)

    def test_a5_replacement_filed_on_archive(self):
        repair = self._repair_from_ticket()
        self._run(repair)
        events = self.archive.event_ids.filtered(lambda e: e.event_type == "part_replacement")
        self.assertEqual(len(events), 1)
        self.assertIn("Spindle Bearing", events.name)
        self.assertEqual((events.res_model, events.res_id), ("mrp.repair", repair.id))

    def test_w3_repair_never_extends_the_warranty(self):
        standard = self._standard(self.archive)
        dates = (standard.date_start, standard.replacement_date_end, standard.date_end)
        self._run(self._repair_from_ticket())
        self._run(self._repair_from_ticket(date="2027-12-01 03:00:00"))
        standard.invalidate_cache()
        self.assertEqual((standard.date_start, standard.replacement_date_end, standard.date_end),
                         dates)
        self.assertEqual(self._decide(self.archive, "2028-02-01")["decision"], "paid")

    def test_ticket_without_unit_cannot_create_repair(self):
        ticket = self.env["aftersales.ticket"].create({
            "partner_id": self.customer.id, "description": "Noise"})
        with self.assertRaises(UserError):
            ticket.sudo(self.hotline).action_create_repair()
        self.assertFalse(ticket.repair_ids)


