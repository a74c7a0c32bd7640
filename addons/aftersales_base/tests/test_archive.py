from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.aftersales_archive import add_working_days
from .common import AftersalesCase
from .service_record_common import create_customer

REFUSED = (AccessError, UserError, ValidationError)


class TestArchiveCreation(AftersalesCase):
    """R: A1, A4, A6 - one archive per delivered serial, created on delivery validation."""

    def test_a1_delivery_creates_one_archive_per_serial(self):
        lots = self._stock_serials(self.product, "SN-A1-1", "SN-A1-2")
        order = self._sell(self.product, 2)
        picking = self._validate(order.picking_ids)
        archives = self._archives(lots)
        self.assertEqual(len(archives), 2)
        self.assertEqual(archives.mapped("lot_id"), lots)
        for archive in archives:
            self.assertEqual(archive.product_id, self.product)
            self.assertEqual(archive.partner_id, self.customer)
            self.assertEqual(archive.contact_id, self.site_contact)
            self.assertEqual(archive.site_address, "Plant 3, 9 Factory Lane, Wuxi")
            self.assertEqual(archive.sale_order_id, order)
            self.assertEqual(archive.picking_id, picking)
            self.assertEqual(archive.delivery_date, fields.Date.context_today(archive))
            self.assertEqual(archive.state, "open")
            self.assertTrue(archive.name.startswith("ARC/"))
            # R: A4 - the packing list is the delivery's lines.
            self.assertEqual(archive.packing_line_ids, picking.move_line_ids)
            self.assertEqual(archive.event_ids.mapped("event_type"), ["delivery"])

    def test_a1_archives_of_a_delivery_are_numbered_in_its_order(self):
        self._stock_serials(self.product, "SN-ORD-1", "SN-ORD-2", "SN-ORD-3")
        picking = self._validate(self._sell(self.product, 3).picking_ids)
        names = [self._archives(line.lot_id).name for line in picking.move_line_ids]
        self.assertEqual(len(set(names)), 3)
        self.assertEqual(names, sorted(names))

    def test_a1_numbers_drawn_together_follow_the_sequence_whatever_its_kind(self):
        """Issue 8: a delivery draws its numbers in one query; a no-gap sequence (a company's
        choice) gives them one by one, the same numbers."""
        Archive = self.env["aftersales.archive"]
        sequence = self.env["ir.sequence"].search([("code", "=", "aftersales.archive")])
        first, second = Archive._next_names(2)
        self.assertEqual(int(second[-5:]), int(first[-5:]) + 1)
        sequence.write({"implementation": "no_gap", "number_next": 500})
        self.assertEqual([name[-5:] for name in Archive._next_names(2)], ["00500", "00501"])
        self.assertEqual(sequence.number_next, 502)
        self.assertEqual(Archive._next_names(0), [])

    def _queries_to_deliver(self, count, tag):
        self._stock_serials(self.product, *["SN-Q%s-%d" % (tag, i) for i in range(count)])
        picking = self._sell(self.product, count).picking_ids
        picking.action_assign()
        for line in picking.move_line_ids:
            line.qty_done = 1.0
        self.env.cache.invalidate()
        before = self.cr.sql_log_count
        picking.action_done()
        self.assertEqual(len(self._archives(picking.move_line_ids.mapped("lot_id"))), count)
        return self.cr.sql_log_count - before

    def test_a1_delivery_costs_the_same_queries_for_every_further_unit(self):
        """Issue 8, benchmark 1: no query grows with the size of the delivery but per unit."""
        self._queries_to_deliver(1, "warm-up")  # caches filled once per process
        two, four, six = (self._queries_to_deliver(n, n) for n in (2, 4, 6))
        self.assertEqual(six - four, four - two, "queries for 2, 4, 6 units: %d, %d, %d"
                         % (two, four, six))

    def test_a6_completeness_deadline_is_two_working_days(self):
        lots = self._stock_serials(self.product, "SN-A6-1")
        self._validate(self._sell(self.product, 1).picking_ids)
        archive = self._archives(lots)
        expected = add_working_days(fields.Date.from_string(archive.delivery_date), 2)
        self.assertEqual(archive.completeness_deadline, fields.Date.to_string(expected))

    def test_a6_working_days_skip_the_weekend(self):
        friday = date(2026, 11, 27)
        self.assertEqual(add_working_days(friday, 2), date(2026, 12, 1))
        self.assertEqual(add_working_days(friday, 0), friday)
        self.assertEqual(add_working_days(date(2026, 11, 23), 2), date(2026, 11, 25))

    def test_a6_deadline_days_are_configurable(self):
        self.env.user.company_id.aftersales_archive_deadline_days = 5
        lots = self._stock_serials(self.product, "SN-A6-5")
        self._validate(self._sell(self.product, 1).picking_ids)
        archive = self._archives(lots)
        expected = add_working_days(fields.Date.from_string(archive.delivery_date), 5)
        self.assertEqual(archive.completeness_deadline, fields.Date.to_string(expected))

    def test_a6_overdue_archives_are_searchable(self):
        lots = self._stock_serials(self.product, "SN-OD-1", "SN-OD-2")
        self._validate(self._sell(self.product, 2).picking_ids)
        late, on_time = self._archives(lots)
        # set-up: a unit delivered long ago (the deadline is the delivery registration's)
        late._write_owned({"completeness_deadline": "2020-01-01"})
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        Archive = self.env["aftersales.archive"]
        self.assertIn(late, Archive.search([("is_overdue", "=", True)]))
        self.assertNotIn(on_time, Archive.search([("is_overdue", "=", True)]))
        self.assertIn(on_time, Archive.search([("is_overdue", "=", False)]))

    def test_untracked_product_creates_no_archive(self):
        plain = self.env["product.product"].create({
            "name": "Coolant 20L", "type": "product", "tracking": "serial"})
        lots = self._stock_serials(plain, "COOL-1")
        self._validate(self._sell(plain, 1).picking_ids)
        self.assertFalse(self._archives(lots))

    def test_warehouse_user_without_aftersales_rights_still_files_archives(self):
        lots = self._stock_serials(self.product, "SN-WH-1")
        order = self._sell(self.product, 1)
        picking = order.picking_ids.sudo(self.stock_user)
        self._validate(picking)
        self.assertEqual(len(self._archives(lots)), 1)


class TestArchiveNoDuplicates(AftersalesCase):
    """R: A1 - validating twice, backorders, partial deliveries and returns never duplicate."""

    def test_partial_delivery_then_backorder(self):
        lots = self._stock_serials(self.product, "SN-P-1", "SN-P-2", "SN-P-3")
        order = self._sell(self.product, 3)
        first = order.picking_ids
        first.action_assign()
        first_lot = first.move_line_ids[0].lot_id
        self._validate(first, lots=first_lot)
        self.assertEqual(self._archives(lots).mapped("lot_id"), first_lot)
        backorder = order.picking_ids - first
        self.assertEqual(len(backorder), 1)
        self._validate(backorder)
        archives = self._archives(lots)
        self.assertEqual(len(archives), 3)
        self.assertEqual(archives.mapped("lot_id"), lots)
        self.assertEqual(
            archives.filtered(lambda a: a.lot_id == first_lot).picking_id, first)

    def test_processing_the_same_moves_twice(self):
        lots = self._stock_serials(self.product, "SN-T-1")
        picking = self._validate(self._sell(self.product, 1).picking_ids)
        picking.move_lines._aftersales_update_archives()
        picking.action_done()
        archives = self._archives(lots)
        self.assertEqual(len(archives), 1)
        self.assertEqual(len(archives.event_ids), 1)

    def test_database_refuses_a_second_archive_for_a_serial(self):
        lots = self._stock_serials(self.product, "SN-U-1")
        self._validate(self._sell(self.product, 1).picking_ids)
        archive = self._archives(lots)
        with self.assertRaises(Exception), self.cr.savepoint():
            self.env["aftersales.archive"].create({
                "product_id": self.product.id, "lot_id": lots.id,
                "partner_id": self.customer.id})
        self.assertEqual(self._archives(lots), archive)

    def test_return_marks_the_unit_returned(self):
        lots = self._stock_serials(self.product, "SN-R-1", "SN-R-2")
        picking = self._validate(self._sell(self.product, 2).picking_ids)
        returned_lot = lots[0]
        return_picking = self._return(picking, returned_lot)
        archives = self._archives(lots)
        self.assertEqual(len(archives), 2)
        returned = archives.filtered(lambda a: a.lot_id == returned_lot)
        kept = archives - returned
        self.assertEqual(returned.state, "returned")
        self.assertEqual(returned.return_picking_id, return_picking)
        self.assertTrue(returned.return_date)
        self.assertIn("return", returned.event_ids.mapped("event_type"))
        self.assertEqual(kept.state, "open")

    def test_redelivery_after_return_reopens_the_same_archive(self):
        lots = self._stock_serials(self.product, "SN-RR-1")
        picking = self._validate(self._sell(self.product, 1).picking_ids)
        self._return(picking, lots)
        other = self.env["res.partner"].create({"name": "Second Owner Co.", "is_company": True})
        order = self._sell(self.product, 1, partner=other, shipping=other)
        self._validate(order.picking_ids)
        archives = self._archives(lots)
        self.assertEqual(len(archives), 1)
        self.assertEqual(archives.state, "open")
        self.assertEqual(archives.partner_id, other)
        self.assertEqual(archives.sale_order_id, order)
        self.assertFalse(archives.return_picking_id)
        self.assertEqual(
            sorted(archives.event_ids.mapped("event_type")), ["delivery", "delivery", "return"])


class TestArchiveRules(AftersalesCase):
    """R: A1, A6 - completeness, protection and access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._stock_serials(cls.product, "SN-RULE-1")
        cls._validate(cls._sell(cls.product, 1).picking_ids)
        cls.archive = cls.env["aftersales.archive"].search([("lot_id", "=", cls.lots.id)])

    def test_a6_complete_requires_configuration_and_commissioning(self):
        """R: A6 - the commissioning engineer completes the archive."""
        archive = self.archive.sudo(self.role_engineer)
        with self.assertRaisesRegex(UserError, "Commissioning Date"):
            archive.action_mark_complete()
        self.assertEqual(archive.state, "open")
        archive.write({"commissioning_date": "2026-11-20", "configuration": "FANUC 0i-MF, 12k spindle"})
        archive.action_mark_complete()
        self.assertEqual(archive.state, "complete")
        self.assertFalse(archive.is_overdue)

    def test_only_managers_reopen(self):
        self.archive.sudo(self.role_engineer).write(
            {"commissioning_date": "2026-11-20", "configuration": "Standard"})
        self.archive.sudo(self.role_engineer).action_mark_complete()
        with self.assertRaises(AccessError):
            self.archive.sudo(self.user).check_access_rights("unlink")
        for user in (self.user, self.role_hotline, self.role_engineer, self.role_quality):
            with self.assertRaises(AccessError):
                self.archive.sudo(user).action_reopen()
        self.assertEqual(self.archive.state, "complete")
        self.archive.sudo(self.manager).action_reopen()
        self.assertEqual(self.archive.state, "open")
        with self.assertRaises(UserError):
            self.archive.sudo(self.manager).action_reopen()

    def test_archives_are_never_deleted(self):
        with self.assertRaises((UserError, AccessError)):
            self.archive.sudo(self.manager).unlink()
        with self.assertRaises(UserError):
            self.archive.unlink()
        self.assertTrue(self.archive.exists())
        self.archive.sudo(self.manager).toggle_active()
        self.assertFalse(self.archive.active)

    def test_employee_without_aftersales_group_is_refused(self):
        with self.assertRaises(AccessError):
            self.archive.sudo(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["aftersales.archive"].sudo(self.employee).search([])
        with self.assertRaises(AccessError):
            self.archive.sudo(self.employee).write({"configuration": "hacked"})
        self.assertFalse(self.archive.configuration)

    def test_roles_read_and_edit_their_part(self):
        """Issue 13: every role reads; the hotline keeps contact and site up to date, the
        engineer records the configuration."""
        for user in (self.user, self.role_quality, self.role_parts_clerk):
            self.assertEqual(self.archive.sudo(user).lot_id, self.lots)
            with self.assertRaises(AccessError):
                self.archive.sudo(user).write({"site_address": "Elsewhere"})
        self.archive.sudo(self.role_hotline).write({"site_address": "Plant 4, Wuxi"})
        self.assertEqual(self.archive.site_address, "Plant 4, Wuxi")
        with self.assertRaises(AccessError):
            self.archive.sudo(self.role_hotline).write({"configuration": "Renishaw probe"})
        archive = self.archive.sudo(self.role_engineer)
        archive.write({"configuration": "Renishaw probe"})
        self.assertEqual(archive.configuration, "Renishaw probe")

    def test_tracked_product_must_be_serial_numbered(self):
        with self.assertRaises(ValidationError):
            self.env["product.product"].create({
                "name": "Untracked machine", "type": "consu", "aftersales_tracked": True})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.product.tracking = "lot"
        self.product.invalidate_cache()
        self.assertEqual(self.product.tracking, "serial")

    def test_partner_counts_its_units(self):
        self.assertEqual(self.customer.aftersales_archive_count, 1)
        action = self.customer.action_view_aftersales_archives()
        self.assertEqual(self.env["aftersales.archive"].search(action["domain"]), self.archive)


class TestArchiveGuard(AftersalesCase):
    """Issue 13 (items 4, 5), R: A1, A6 - the archive's state and its delivery facts change
    only through the delivery registration and the actions; a direct write or create is
    refused and nothing changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._stock_serials(cls.product, "SN-G-1")
        cls.order = cls._sell(cls.product, 1)
        cls.picking = cls._validate(cls.order.picking_ids)
        cls.archive = cls.env["aftersales.archive"].search([("lot_id", "=", cls.lots.id)])
        cls.other = cls.env["res.partner"].create({"name": "Other Works", "is_company": True})
        cls.other_lot = cls.env["stock.production.lot"].create(
            {"name": "SN-G-OTHER", "product_id": cls.product.id})
        cls.Archive = cls.env["aftersales.archive"]

    def _facts(self, archive):
        archive.invalidate_cache()
        return archive.read(["state", "partner_id", "lot_id", "product_id", "delivery_date",
                             "picking_id", "sale_order_id", "completeness_deadline",
                             "configuration", "acceptance_date", "commissioning_date"])[0]

    def _complete(self, archive):
        archive.sudo(self.role_engineer).write(
            {"commissioning_date": "2026-11-20", "configuration": "FANUC 0i-MF"})
        archive.sudo(self.role_engineer).action_mark_complete()
        self.assertEqual(archive.state, "complete")

    def _manual(self, lot, partner=None, **vals):
        """A unit recorded by hand by the after-sales manager (delivered before the system)."""
        values = {"product_id": self.product.id, "lot_id": lot.id,
                  "partner_id": (partner or self.customer).id}
        values.update(vals)
        return self.Archive.sudo(self.manager).create(values)

    def test_a6_state_moves_only_through_actions(self):
        facts = self._facts(self.archive)
        for user in (self.role_hotline, self.role_engineer, self.manager):
            for state in ("complete", "returned"):
                with self.assertRaisesRegex(UserError, "only through its own actions"):
                    self.archive.sudo(user).write({"state": state})
        self.assertEqual(self._facts(self.archive), facts)
        self._complete(self.archive)
        with self.assertRaisesRegex(UserError, "only through its own actions"):
            self.archive.sudo(self.manager).write({"state": "open"})
        self.assertEqual(self.archive.state, "complete")

    def test_a6_create_complete_refused(self):
        lot = self.env["stock.production.lot"].create(
            {"name": "SN-G-NEW", "product_id": self.product.id})
        for vals in ({"state": "complete"}, {"picking_id": self.picking.id},
                     {"sale_order_id": self.order.id},
                     {"completeness_deadline": "2030-01-01"}, {"name": "ARC/FAKE"}):
            with self.assertRaisesRegex(UserError, "only through its own actions"):
                self._manual(lot, **vals)
        self.assertFalse(self.Archive.search([("lot_id", "=", lot.id)]))

    def test_a1_delivery_facts_of_a_delivered_unit_are_the_deliverys(self):
        """Issue 13 item 4: the delivery date of an archive is not writable, nor its customer,
        serial and product: not even by the manager while the archive is open."""
        facts = self._facts(self.archive)
        for vals in ({"delivery_date": "2020-01-01"}, {"partner_id": self.other.id},
                     {"lot_id": self.other_lot.id}):
            with self.assertRaisesRegex(UserError, "come from its delivery"):
                self.archive.sudo(self.manager).write(vals)
        for vals in ({"completeness_deadline": "2030-01-01"}, {"picking_id": False},
                     {"sale_order_id": False}, {"return_date": "2026-01-01"}):
            with self.assertRaisesRegex(UserError, "only through its own actions"):
                self.archive.sudo(self.manager).write(vals)
        self.assertEqual(self._facts(self.archive), facts)
        # the same values again (a form saving what it shows) change nothing and pass
        self.archive.sudo(self.manager).write({"partner_id": self.customer.id})

    def test_a1_hotline_never_writes_customer_serial_product_date(self):
        """Issue 13 item 5: the hotline changed customer, serial, product and delivery date."""
        manual = self._manual(self.other_lot)
        facts = self._facts(manual)
        hotline = manual.sudo(self.role_hotline)
        for vals in ({"partner_id": self.other.id}, {"delivery_date": "2020-01-01"},
                     {"lot_id": self.lots.id}, {"product_id": self.product.id},
                     {"acceptance_date": "2026-01-01"}, {"configuration": "x"}):
            with self.assertRaises(AccessError):
                hotline.write(vals)
        self.assertEqual(self._facts(manual), facts)
        lot = self.env["stock.production.lot"].create(
            {"name": "SN-G-HOT", "product_id": self.product.id})
        with self.assertRaises(AccessError):
            self.Archive.sudo(self.role_hotline).create({
                "product_id": self.product.id, "lot_id": lot.id, "partner_id": self.customer.id})
        self.assertFalse(self.Archive.search([("lot_id", "=", lot.id)]))

    def test_w2_acceptance_date_is_the_managers(self):
        """Issue 13 item 4: an engineer set a new acceptance date and revived a warranty."""
        # the unit was delivered today: today is the one acceptance date that makes sense
        today = fields.Date.context_today(self.archive)
        with self.assertRaises(AccessError):
            self.archive.sudo(self.role_engineer).write({"acceptance_date": today})
        self.assertFalse(self._facts(self.archive)["acceptance_date"])
        self.archive.sudo(self.manager).write({"acceptance_date": today})
        self.assertEqual(self.archive.acceptance_date, today)

    def test_a6_complete_archive_is_locked(self):
        self._complete(self.archive)
        facts = self._facts(self.archive)
        for user in (self.role_engineer, self.manager):
            for vals in ({"configuration": "Changed"}, {"commissioning_date": "2026-01-01"},
                         {"acceptance_date": "2026-01-01"}, {"service_terms": "Other terms"},
                         {"partner_id": self.other.id}, {"delivery_date": "2020-01-01"}):
                with self.assertRaises(REFUSED):
                    self.archive.sudo(user).write(vals)
        self.assertEqual(self._facts(self.archive), facts)
        # R: A2, A9 - the contact and the site are kept up to date for the unit's whole life
        self.archive.sudo(self.role_hotline).write({"site_address": "Plant 5, Wuxi"})
        self.assertEqual(self.archive.site_address, "Plant 5, Wuxi")

    def test_a6_only_engineers_complete(self):
        self.archive.sudo(self.role_engineer).write(
            {"commissioning_date": "2026-11-20", "configuration": "FANUC 0i-MF"})
        for user in (self.user, self.role_hotline, self.role_quality, self.role_parts_clerk):
            with self.assertRaises(AccessError):
                self.archive.sudo(user).action_mark_complete()
        self.assertEqual(self.archive.state, "open")

    def test_a1_manual_serial_belongs_to_its_product(self):
        """Issue 13 item 5: a manual archive carried a serial of another product."""
        pump = self._create_tracked_product("Coolant Pump", "PUMP")
        pump_lot = self.env["stock.production.lot"].create(
            {"name": "SN-G-PUMP", "product_id": pump.id})
        # a refused call is rolled back, as a server call is (the savepoint)
        with self.assertRaisesRegex(ValidationError, "is one of"), self.cr.savepoint():
            self._manual(pump_lot)
        self.assertFalse(self.Archive.search([("lot_id", "=", pump_lot.id)]))
        manual = self._manual(self.other_lot)
        with self.assertRaisesRegex(ValidationError, "is one of"), self.cr.savepoint():
            manual.sudo(self.manager).write({"lot_id": pump_lot.id})
        manual.invalidate_cache()
        self.assertEqual(manual.lot_id, self.other_lot)

    def test_a1_delivery_of_a_manual_unit_files_into_its_archive(self):
        """Issue 13 item 5: a manual archive was left apart when its serial was really
        delivered, and another customer then saw it on the portal."""
        typed, _contact, portal = create_customer(
            self.env, "Typed By Mistake Co.", "Wrong Contact", "portal_typed")
        lot = self._stock_serials(self.product, "SN-G-MAN")
        manual = self._manual(lot, partner=typed, configuration="Recorded by hand")
        self.assertEqual(self.Archive.sudo(portal).search([]), manual)
        order = self._sell(self.product, 1)
        picking = self._validate(order.picking_ids)
        archives = self._archives(lot)
        self.assertEqual(archives, manual)
        self.assertEqual(manual.partner_id, self.customer)
        self.assertEqual(manual.picking_id, picking)
        self.assertEqual(manual.sale_order_id, order)
        self.assertEqual(manual.delivery_date, fields.Date.context_today(manual))
        self.assertTrue(manual.completeness_deadline)
        self.assertEqual(manual.configuration, "Recorded by hand")
        self.assertEqual(manual.event_ids.mapped("event_type"), ["delivery"])
        self.assertFalse(self.Archive.sudo(portal).search([]))


class TestArchiveTimeline(AftersalesCase):
    """R: A5, A7, issue 13 item 4 - the timeline is filed by the flows: nobody types an
    event in, edits or deletes one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls._stock_serials(cls.product, "SN-TL-1")
        cls._validate(cls._sell(cls.product, 1).picking_ids)
        cls.archive = cls.env["aftersales.archive"].search([("lot_id", "=", cls.lots.id)])
        cls.event = cls.archive.event_ids

    def test_a7_events_are_not_typed_in(self):
        Event = self.env["aftersales.archive.event"]
        before = Event.search_count([])
        for user in (self.role_hotline, self.role_engineer, self.manager):
            with self.assertRaisesRegex(UserError, "only through its own actions"):
                Event.sudo(user).create({"archive_id": self.archive.id,
                                         "event_type": "part_replacement",
                                         "name": "Spindle replaced"})
        with self.assertRaisesRegex(UserError, "only through its own actions"):
            self.archive.sudo(self.manager).write(
                {"event_ids": [(0, 0, {"name": "Spindle replaced"})]})
        self.assertEqual(Event.search_count([]), before)

    def test_a7_events_are_not_edited_nor_deleted(self):
        filed = self.event.read(["name", "date", "event_type", "user_id"])
        for user in (self.role_engineer, self.manager):
            with self.assertRaises(REFUSED):
                self.event.sudo(user).write({"name": "Nothing", "date": "2020-01-01 00:00:00"})
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                self.event.sudo(user).unlink()
        with self.assertRaisesRegex(UserError, "only through its own actions"):
            self.event.write({"name": "Nothing"})
        self.event.invalidate_cache()
        self.assertEqual(self.event.read(["name", "date", "event_type", "user_id"]), filed)
