from odoo.exceptions import UserError, ValidationError

from .common import WarrantyCase

EXCLUSIONS = [
    "natural_disaster", "misuse", "commercial_use", "improper_operation",
    "unauthorised_repair", "serial_altered", "private_modification", "transport_damage",
    "period_expired",
]


class TestCoverageDecision(WarrantyCase):
    """R: W1, W2, W4, W5 - one method decides how a fault is covered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # delivered 2026-01-15, accepted 2026-02-01:
        # replacement 2026-01-15..2027-01-14, repair until 2028-01-31
        cls.archive = cls._deliver_unit(
            "COV-001", delivery_date="2026-01-15", acceptance_date="2026-02-01")

    def test_standard_contract_created_with_archive(self):
        standard = self._standard(self.archive)
        self.assertEqual(len(standard), 1)
        self.assertEqual(standard.policy_id, self.policy)
        self.assertEqual(standard.date_start, "2026-01-15")
        self.assertEqual(standard.replacement_date_end, "2027-01-14")
        self.assertEqual(standard.date_end, "2028-01-31")
        self.assertTrue(standard.name.startswith("WAR/"))

    def test_standard_contract_idempotent(self):
        self.archive._create_standard_warranty()
        self.assertEqual(len(self.archive.warranty_ids), 1)

    def test_w1_replacement_window_day_before_end(self):
        result = self._decide(self.archive, "2027-01-13")
        self.assertEqual(result["decision"], "free_replacement")
        self.assertEqual(result["warranty_id"], self._standard(self.archive).id)
        self.assertIn("2027-01-14", result["reason"])

    def test_w1_replacement_window_day_of_end(self):
        self.assertEqual(self._decide(self.archive, "2027-01-14")["decision"], "free_replacement")

    def test_w1_replacement_window_day_after_end_is_repair(self):
        self.assertEqual(self._decide(self.archive, "2027-01-15")["decision"], "free_repair")

    def test_w1_replacement_window_first_day(self):
        self.assertEqual(self._decide(self.archive, "2026-01-15")["decision"], "free_replacement")

    def test_w1_before_delivery_not_covered(self):
        self.assertEqual(self._decide(self.archive, "2026-01-14")["decision"], "paid")

    def test_w2_repair_window_day_before_end(self):
        result = self._decide(self.archive, "2028-01-30")
        self.assertEqual(result["decision"], "free_repair")
        self.assertIn("2028-01-31", result["reason"])

    def test_w2_repair_window_day_of_end(self):
        self.assertEqual(self._decide(self.archive, "2028-01-31")["decision"], "free_repair")

    def test_w2_repair_window_day_after_end_is_paid(self):
        result = self._decide(self.archive, "2028-02-01")
        self.assertEqual(result["decision"], "paid")
        self.assertIn("2028-01-31", result["reason"])

    def test_w2_repair_window_from_delivery_until_accepted(self):
        archive = self._deliver_unit("COV-002", delivery_date="2026-03-10")
        self.assertEqual(self._standard(archive).date_end, "2028-03-09")
        self.assertEqual(self._decide(archive, "2028-03-09")["decision"], "free_repair")
        self.assertEqual(self._decide(archive, "2028-03-10")["decision"], "paid")
        # the acceptance date, once known, moves the repair window (R: W2); the after-sales
        # manager records it (issue 13: an engineer revived an expired warranty with it)
        archive.sudo(self.manager).acceptance_date = "2026-04-01"
        self.assertEqual(self._standard(archive).date_end, "2028-03-31")
        self.assertEqual(self._decide(archive, "2028-03-10")["decision"], "free_repair")

    def test_w1_invoice_basis_falls_back_to_delivery(self):
        self.policy.replacement_basis = "invoice"
        archive = self._deliver_unit("COV-003", delivery_date="2026-05-20")
        self.assertEqual(self._standard(archive).replacement_date_end, "2027-05-19")

    def test_w5_each_exclusion_makes_it_paid(self):
        for xmlid in EXCLUSIONS:
            exclusion = self.env.ref("aftersales_warranty.exclusion_%s" % xmlid)
            # inside the replacement window: the exclusion still wins
            result = self._decide(self.archive, "2026-06-01", exclusion=exclusion)
            self.assertEqual(result["decision"], "paid", xmlid)
            self.assertEqual(result["exclusion_id"], exclusion.id, xmlid)
            self.assertIn(exclusion.name, result["reason"], xmlid)

    def test_w5_nine_exclusions_seeded(self):
        exclusions = self.env["aftersales.warranty.exclusion"].search([])
        self.assertGreaterEqual(len(exclusions), 9)
        self.assertEqual(len(self.policy.exclusion_ids), len(exclusions))

    def test_w4_dead_on_arrival(self):
        result = self._decide(self.archive, "2026-01-16", is_doa=True)
        self.assertEqual(result["decision"], "doa_replacement")
        self.assertIn("2026-01-15", result["reason"])

    def test_no_policy_no_contract_paid(self):
        other = self._create_tracked_product("Unpoliced Lathe", "UL")
        lot = self._stock_serials(other, "NOPOL-1")
        order = self._sell(other, 1)
        self._validate(order.picking_ids, lot)
        archive = self._archives(lot)
        self.assertFalse(archive.warranty_ids)
        result = self._decide(archive, "2026-06-01")
        self.assertEqual(result["decision"], "paid")

    def test_category_policy_applies(self):
        category = self.env["product.category"].create({"name": "Lathes"})
        self.Policy.create({"name": "Lathes", "categ_id": category.id,
                            "replacement_months": 3, "repair_months": 6})
        lathe = self._create_tracked_product("CNC Lathe", "CL")
        lathe.categ_id = category
        lot = self._stock_serials(lathe, "LATHE-1")
        order = self._sell(lathe, 1)
        self._validate(order.picking_ids, lot)
        contract = self._archives(lot).warranty_ids
        self.assertEqual(contract.policy_id.categ_id, category)

    def test_policy_needs_one_scope(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Policy.create({"name": "Nothing", "replacement_months": 1})

    def test_ticket_decide_coverage_as_hotline(self):
        ticket = self._create_ticket(
            self.archive, date_reported="2027-01-14 04:00:00").sudo(self.hotline)
        ticket.action_decide_coverage()
        self.assertEqual(ticket.coverage_decision, "free_replacement")
        self.assertEqual(ticket.coverage_warranty_id, self._standard(self.archive))
        self.assertTrue(ticket.coverage_reason)
        ticket.exclusion_id = self.env.ref("aftersales_warranty.exclusion_serial_altered")
        ticket.action_decide_coverage()
        self.assertEqual(ticket.coverage_decision, "paid")
        self.assertIn("Serial number altered", ticket.coverage_reason)

    def test_ticket_without_unit_refused(self):
        ticket = self.env["aftersales.ticket"].create({
            "partner_id": self.customer.id, "description": "Noise"})
        with self.assertRaises(UserError):
            ticket.action_decide_coverage()
        self.assertFalse(ticket.coverage_decision)

    def test_exclusion_in_use_cannot_be_deleted(self):
        exclusion = self.env.ref("aftersales_warranty.exclusion_misuse")
        self._create_ticket(self.archive, exclusion_id=exclusion.id)
        with self.assertRaises(UserError):
            exclusion.unlink()
