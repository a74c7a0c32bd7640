from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.aftersales_warranty_policy import add_months
from .common import WarrantyCase


def shift(days):
    today = fields.Date.from_string(fields.Date.today())
    return fields.Date.to_string(today + timedelta(days=days))


class TestContracts(WarrantyCase):
    """R: W3, W6, W7 - standard and extended contracts, renewals, replacements."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls._deliver_unit(
            "CON-001", delivery_date="2026-01-15", acceptance_date="2026-02-01")

    def _sell_extension(self, archive, product=None):
        return self.env["sale.order"].create({
            "partner_id": archive.partner_id.id,
            "order_line": [(0, 0, {"product_id": (product or self.extension).id,
                                   "product_uom_qty": 1.0,
                                   "aftersales_archive_id": archive.id})],
        })

    def test_w6_extended_contract_chained_after_standard(self):
        order = self._sell_extension(self.archive)
        order.action_confirm()
        extended = self.archive.warranty_ids.filtered(lambda w: w.contract_type == "extended")
        self.assertEqual(len(extended), 1)
        self.assertEqual(extended.date_start, "2028-02-01")  # standard ends 2028-01-31
        self.assertEqual(extended.date_end, "2029-01-31")
        self.assertEqual(extended.sale_order_id, order)
        self.assertEqual(self.archive.warranty_end_date, "2029-01-31")
        # a second extension continues where the first ends
        self._sell_extension(self.archive).action_confirm()
        second = self.archive.warranty_ids.filtered(
            lambda w: w.contract_type == "extended") - extended
        self.assertEqual(second.date_start, "2029-02-01")

    def test_w6_extended_contract_gives_free_repair(self):
        self._sell_extension(self.archive).action_confirm()
        self.assertFalse(self.archive._is_under_extended_warranty("2028-01-31"))
        self.assertTrue(self.archive._is_under_extended_warranty("2028-02-01"))
        self.assertTrue(self.archive._is_under_extended_warranty("2029-01-31"))
        self.assertFalse(self.archive._is_under_extended_warranty("2029-02-01"))
        result = self._decide(self.archive, "2028-06-01")
        self.assertEqual(result["decision"], "free_repair")
        self.assertIn("Extended", result["reason"])
        self.assertEqual(self._decide(self.archive, "2029-02-01")["decision"], "paid")

    def test_w6_lapsed_cover_starts_when_signed(self):
        archive = self._deliver_unit("CON-OLD", delivery_date="2020-01-01",
                                     acceptance_date="2020-01-01")
        self._sell_extension(archive).action_confirm()
        extended = archive.warranty_ids.filtered(lambda w: w.contract_type == "extended")
        self.assertEqual(extended.date_start, fields.Date.today())

    def test_w6_closed_product_refused(self):
        self.extension.aftersales_warranty_closed = True
        order = self._sell_extension(self.archive)
        with self.assertRaisesRegex(UserError, "closed"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.archive.warranty_ids.filtered(
            lambda w: w.contract_type == "extended"))

    def test_w6_closed_product_keeps_sold_contracts(self):
        self._sell_extension(self.archive).action_confirm()
        self.extension.aftersales_warranty_closed = True
        self.assertTrue(self.archive._is_under_extended_warranty("2028-06-01"))
        self.assertEqual(self._decide(self.archive, "2028-06-01")["decision"], "free_repair")

    def test_w6_extension_line_needs_a_unit_of_the_customer(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [(0, 0, {"product_id": self.extension.id, "product_uom_qty": 1.0})],
        })
        with self.assertRaisesRegex(UserError, "choose the unit"):
            order.action_confirm()
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        order = self.env["sale.order"].create({
            "partner_id": other.id,
            "order_line": [(0, 0, {"product_id": self.extension.id, "product_uom_qty": 1.0,
                                   "aftersales_archive_id": self.archive.id})],
        })
        with self.assertRaisesRegex(UserError, "does not belong"):
            order.action_confirm()

    def test_extension_product_must_be_service(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["product.product"].create({
                "name": "Bad", "type": "consu", "aftersales_warranty_extension": True})

    def test_w7_renewal_job_twice_creates_one_quotation(self):
        # accepted so that the cover ends in 9 days (inside the 30 reminder days)
        end = shift(9)
        acceptance = fields.Date.to_string(
            fields.Date.from_string(end) + timedelta(days=1) - relativedelta(months=24))
        archive = self._deliver_unit("CON-REN", delivery_date=acceptance,
                                     acceptance_date=acceptance)
        standard = self._standard(archive)
        self.assertEqual(standard.date_end, end)
        Order = self.env["sale.order"]
        before = Order.search_count([("origin", "=", standard.name)])
        self.Warranty._cron_expiry()
        self.Warranty._cron_expiry()
        orders = Order.search([("origin", "=", standard.name)])
        self.assertEqual(len(orders) - before, 1)
        self.assertEqual(orders.state, "draft")
        self.assertEqual(orders.order_line.product_id, self.extension)
        self.assertEqual(orders.order_line.aftersales_archive_id, archive)
        self.assertEqual(standard.renewal_order_id, orders)
        self.assertEqual(standard.reminder_date, fields.Date.today())
        self.assertEqual(len(standard.activity_ids), 1)

    def test_w7_no_reminder_far_from_end_or_already_renewed(self):
        standard = self._standard(self.archive)
        # far from the end: nothing
        self.Warranty._send_expiry_reminders(self.company)
        self.assertFalse(standard.reminder_date)

    def test_w1_every_unit_of_a_delivery_gets_its_numbered_standard_contract(self):
        lots = self._stock_serials(self.product, "CON-B1", "CON-B2", "CON-B3")
        self._validate(self._sell(self.product, 3).picking_ids)
        archives = self.env["aftersales.archive"].search([("lot_id", "in", lots.ids)])
        contracts = archives.mapped("warranty_ids")
        self.assertEqual(len(contracts), 3)
        self.assertEqual(contracts.mapped("archive_id"), archives)
        self.assertEqual(set(contracts.mapped("contract_type")), {"standard"})
        self.assertEqual(set(contracts.mapped("state")), {"active"})
        # the stored fields computed once for the whole delivery hold each unit's values
        self.assertEqual(contracts.mapped("partner_id"), self.customer)
        self.assertEqual(contracts.mapped("product_id"), self.product)
        self.assertEqual(len(set(contracts.mapped("name"))), 3)
        self.assertTrue(all(name.startswith("WAR/") for name in contracts.mapped("name")))
        self.assertEqual(set(archives.mapped("warranty_end_date")),
                         {add_months(fields.Date.context_today(archives), 24)})
        # processed again: nothing new
        self.assertEqual(archives._create_standard_warranty(), contracts)
        self.assertEqual(archives.mapped("warranty_ids"), contracts)

    def test_w1_unit_recorded_after_its_cover_ended_gets_an_expired_contract(self):
        lot = self.env["stock.production.lot"].create({"name": "CON-OLD",
                                                       "product_id": self.product.id})
        archive = self.env["aftersales.archive"].create({
            "product_id": self.product.id, "lot_id": lot.id, "partner_id": self.customer.id,
            "delivery_date": "2015-03-01"})
        standard = self._standard(archive)
        self.assertEqual(standard.state, "expired")
        self.assertEqual(standard.date_end, "2017-02-28")

    def test_state_expires_after_end(self):
        archive = self._deliver_unit("CON-EXP", delivery_date="2020-01-01",
                                     acceptance_date="2020-01-01")
        standard = self._standard(archive)
        self.assertEqual(standard.state, "expired")
        self.Warranty._cron_expiry()
        self.assertEqual(standard.state, "expired")
        self.assertFalse(standard.reminder_date)

    def test_w3_replacement_keeps_dates_on_new_serial(self):
        new_archive = self._deliver_unit("CON-NEW")
        old_standard = self._standard(self.archive)
        new_own = self._standard(new_archive)
        self.archive._transfer_warranties_to(new_archive)
        self.assertEqual(new_own.state, "cancel")
        kept = self._standard(new_archive)
        self.assertEqual(kept, old_standard)
        self.assertEqual((kept.date_start, kept.replacement_date_end, kept.date_end),
                         ("2026-01-15", "2027-01-14", "2028-01-31"))
        # accepting the replacement unit does not restart the period (R: W3)
        new_archive.acceptance_date = fields.Date.today()
        self.assertEqual(kept.date_end, "2028-01-31")
        self.assertEqual(self._decide(new_archive, "2028-02-01")["decision"], "paid")
        self.assertFalse(self.archive.warranty_ids)
        self.assertTrue(new_archive.event_ids.filtered(
            lambda e: e.event_type == "part_replacement"))

    def test_transfer_to_other_product_refused(self):
        other = self._create_tracked_product("Other", "OTH")
        lot = self._stock_serials(other, "OTH-1")
        self._validate(self._sell(other, 1).picking_ids, lot)
        with self.assertRaises(UserError):
            self.archive._transfer_warranties_to(self._archives(lot))
        self.assertEqual(len(self._standard(self.archive)), 1)

    def test_transfer_wizard(self):
        new_archive = self._deliver_unit("CON-WIZ")
        wizard = self.env["aftersales.archive.warranty.transfer"].with_context(
            active_id=self.archive.id).create({"new_archive_id": new_archive.id})
        wizard.action_transfer()
        self.assertEqual(self._standard(new_archive).date_end, "2028-01-31")

    def test_hotline_cannot_edit_contract_dates(self):
        standard = self._standard(self.archive)
        with self.assertRaises(AccessError):
            standard.sudo(self.user).write({"date_end": "2030-12-31"})
        self.assertEqual(standard.date_end, "2028-01-31")

    def test_contracts_are_not_deleted(self):
        with self.assertRaises(UserError):
            self._standard(self.archive).unlink()

    def test_one_standard_per_unit(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Warranty.create(self.Warranty._prepare_standard_vals(self.archive, self.policy))

