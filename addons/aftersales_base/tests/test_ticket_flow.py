from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AftersalesCase
from .service_record_common import create_record


def _shift(value, **delta):
    return fields.Datetime.to_string(fields.Datetime.from_string(value) + timedelta(**delta))


def _now(**delta):
    return _shift(fields.Datetime.now(), **delta)


class TicketCase(AftersalesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._create_unit()
        cls.company = cls.env.user.company_id
        cls.company.write({"aftersales_answer_hours_2": 5.0, "aftersales_arrival_hours_2": 30.0})

    @contextmanager
    def _at(self, when):
        """The server's clock reads `when` (a UTC datetime string): stamps are the server's."""
        with mock.patch.object(fields.Datetime, "now", return_value=when):
            yield

    def _triaged(self, **values):
        ticket = self._create_ticket(archive_id=self.unit.id, priority="2", **values)
        ticket.action_triage()
        return ticket

    def _dispatched(self, appointment=None, **values):
        ticket = self._triaged(**values)
        self._dispatch_ticket(ticket, appointment or _now(hours=2), engineer=self.engineer)
        return ticket

    def _on_site(self, **values):
        ticket = self._dispatched(**values)
        ticket.sudo(self.engineer).action_arrive()
        return ticket

    def _closed(self):
        ticket = self._triaged()
        ticket.action_solve_remotely()
        ticket.action_customer_confirm()
        ticket.action_close()
        return ticket

    def _assertAbout(self, value, expected, seconds=120):
        delta = abs(fields.Datetime.from_string(value) - fields.Datetime.from_string(expected))
        self.assertLess(delta, timedelta(seconds=seconds), "%s is not about %s" % (value, expected))

    def _snapshot(self, ticket, names=None):
        ticket.invalidate_cache()
        names = names or [n for n in ticket._guard_owned_fields + ticket._guard_editable_fields
                          + ticket._guard_free_fields]
        return ticket.sudo().read(names)[0]


class TestTicketRegistration(TicketCase):
    """R: S9 - every report gets a numbered service request about one unit of the customer."""

    def test_s9_numbered_by_sequence(self):
        ticket = self._create_ticket(archive_id=self.unit.id)
        self.assertTrue(ticket.name.startswith("SR/"))
        self.assertEqual(ticket.state, "new")
        self.assertEqual(ticket.product_id, self.product)
        self._assertAbout(ticket.date_reported, fields.Datetime.now())

    def test_s9_unit_of_another_customer_refused(self):
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        with self.assertRaises(ValidationError):
            self._create_ticket(partner_id=other.id, contact_id=False, archive_id=self.unit.id)

    def test_s9_contact_of_the_unit_owner_accepted(self):
        # The customer is compared by commercial partner: the site contact stands for the company.
        ticket = self._create_ticket(partner_id=self.site_contact.id, archive_id=self.unit.id)
        self.assertEqual(ticket.archive_id, self.unit)

    def test_s9_changing_the_unit_to_another_customers_refused(self):
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        ticket = self._create_ticket(archive_id=self.unit.id)
        other_unit = self._create_unit(other)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            ticket.write({"archive_id": other_unit.id})
        ticket.invalidate_cache()
        self.assertEqual(ticket.archive_id, self.unit)

    def test_tickets_are_never_deleted(self):
        ticket = self._create_ticket()
        with self.assertRaises(UserError):
            ticket.sudo(self.manager).unlink()
        self.assertTrue(ticket.exists())

    def test_employee_without_after_sales_group_cannot_read(self):
        ticket = self._create_ticket()
        with self.assertRaises(AccessError):
            ticket.sudo(self.employee).read(["name"])

    def test_partner_counts_tickets(self):
        self._create_ticket()
        self._create_ticket(partner_id=self.site_contact.id)
        self.assertEqual(self.customer.aftersales_ticket_count, 2)
        self.assertEqual(self.site_contact.aftersales_ticket_count, 2)
        action = self.site_contact.action_view_aftersales_tickets()
        self.assertEqual(self.env["aftersales.ticket"].search_count(action["domain"]), 2)


class TestTicketTriage(TicketCase):
    """R: S2, K3 - a promised answer time per priority, and whether it was kept."""

    def test_s2_triage_promises_answer_by_priority_hours(self):
        ticket = self._triaged()
        self.assertEqual(ticket.state, "triage")
        self._assertAbout(ticket.answer_deadline, _now(hours=5))

    def test_k3_the_answer_clock_starts_at_the_report(self):
        """Issue 15: the promise counts from the report, not from the triage; a request left
        in New is late like any other."""
        ticket = self._create_ticket(archive_id=self.unit.id, priority="2")
        self.assertEqual(ticket.state, "new")
        self.assertEqual(ticket.answer_deadline, _shift(ticket.date_reported, hours=5))
        with self._at(_shift(ticket.date_reported, hours=3)):
            ticket.action_triage()
        self.assertEqual(ticket.answer_deadline, _shift(ticket.date_reported, hours=5))
        fresh = self._create_ticket(archive_id=self.unit.id, priority="2")
        with self._at(_shift(fresh.answer_deadline, seconds=1)):
            fresh.invalidate_cache(["is_late"])
            self.assertTrue(fresh.is_late)
            self.assertIn(fresh, self.env["aftersales.ticket"].search([("is_late", "=", True)]))

    def test_k3_priority_changes_the_promise_until_answered(self):
        ticket = self._create_ticket(archive_id=self.unit.id, priority="2")
        ticket.sudo(self.hotline).write({"priority": "3"})
        hours = self.company.aftersales_answer_hours_3
        self.assertEqual(ticket.answer_deadline, _shift(ticket.date_reported, hours=hours))
        ticket.action_triage()
        ticket.action_answer()
        promised = ticket.answer_deadline
        ticket.sudo(self.hotline).write({"priority": "0"})
        self.assertEqual(ticket.answer_deadline, promised)

    def test_s2_the_hotline_promises_an_answer_time_by_hand(self):
        """R: S2 (issue 15): the promise the hotline gave the customer is the K3 clock's."""
        ticket = self._create_ticket(archive_id=self.unit.id, priority="2")
        promise = _shift(ticket.date_reported, days=2)
        wizard = self.env["aftersales.ticket.promise"].sudo(self.hotline).with_context(
            active_id=ticket.id).create({"answer_deadline": promise, "note": "Friday, 9:00"})
        wizard.action_confirm()
        self.assertEqual((ticket.answer_deadline, ticket.answer_promised_by_hand),
                         (promise, True))
        ticket.sudo(self.hotline).write({"priority": "3"})
        self.assertEqual(ticket.answer_deadline, promise, "a promise by hand is kept")
        ticket.action_triage()
        with self._at(promise):
            ticket.action_answer()
        self.assertTrue(ticket.answer_on_time)

    def test_s2_a_promise_before_the_report_or_by_others_is_refused(self):
        ticket = self._create_ticket(archive_id=self.unit.id, priority="2")
        deadline = ticket.answer_deadline
        with self.assertRaisesRegex(UserError, "after the report"):
            ticket.sudo(self.hotline)._promise_answer(_shift(ticket.date_reported, seconds=-1))
        with self.assertRaises(AccessError):
            ticket.sudo(self.engineer)._promise_answer(_shift(ticket.date_reported, days=1))
        with self.assertRaises(UserError):
            ticket.sudo(self.hotline).write({"answer_deadline": _shift(deadline, days=9)})
        self.assertEqual((ticket.answer_deadline, ticket.answer_promised_by_hand),
                         (deadline, False))

    def test_s2_answer_hours_are_configurable(self):
        self.company.aftersales_answer_hours_2 = 1.5
        ticket = self._triaged()
        self._assertAbout(ticket.answer_deadline, _now(hours=1.5))

    def test_k3_answer_at_the_deadline_is_on_time(self):
        ticket = self._triaged()
        with self._at(ticket.answer_deadline):
            ticket.action_answer()
        self.assertTrue(ticket.is_answered)
        self.assertEqual(ticket.answered_date, ticket.answer_deadline)
        self.assertTrue(ticket.answer_on_time)
        self.assertEqual(ticket.state, "triage")

    def test_k3_answer_a_second_late_is_missed(self):
        ticket = self._triaged()
        with self._at(_shift(ticket.answer_deadline, seconds=1)):
            ticket.action_answer()
        self.assertTrue(ticket.is_answered)
        self.assertFalse(ticket.answer_on_time)

    def test_k3_answer_now_is_recorded(self):
        ticket = self._triaged()
        ticket.sudo(self.hotline).action_answer()
        self._assertAbout(ticket.answered_date, fields.Datetime.now())
        self.assertTrue(ticket.answer_on_time)

    def test_k3_second_answer_refused(self):
        ticket = self._triaged()
        ticket.action_answer()
        first = ticket.answered_date
        with self.assertRaises(UserError):
            ticket.action_answer()
        self.assertEqual(ticket.answered_date, first)

    def test_k3_answer_before_triage_refused(self):
        ticket = self._create_ticket()
        with self.assertRaises(UserError):
            ticket.action_answer()
        self.assertFalse(ticket.is_answered)

    def test_late_filter_finds_unanswered_past_deadline(self):
        ticket = self._triaged()
        Ticket = self.env["aftersales.ticket"]
        self.assertNotIn(ticket, Ticket.search([("is_late", "=", True)]))
        with self._at(_shift(ticket.answer_deadline, hours=1)):
            ticket.invalidate_cache(["is_late"])
            self.assertTrue(ticket.is_late)
            self.assertIn(ticket, Ticket.search([("is_late", "=", True)]))
            self.assertNotIn(ticket, Ticket.search([("is_late", "=", False)]))


class TestTicketRemote(TicketCase):
    """R: S1 - remote online service only with the customer's authorisation."""

    def test_s1_remote_session_without_authorisation_refused(self):
        ticket = self._triaged(channel="remote")
        with self.assertRaises(UserError):
            ticket.sudo(self.hotline).action_solve_remotely()
        self.assertEqual(ticket.state, "triage")
        self.assertFalse(ticket.is_answered)

    def test_s1_authorisation_records_who_and_when(self):
        ticket = self._triaged(channel="remote")
        with self.assertRaises(UserError):
            ticket.action_authorize_remote()  # nobody chosen
        ticket.write({"remote_authorized_by_id": self.site_contact.id})
        ticket.action_authorize_remote()
        self.assertTrue(ticket.remote_authorized)
        self._assertAbout(ticket.remote_authorized_date, fields.Datetime.now())
        ticket.sudo(self.hotline).action_solve_remotely()
        self.assertEqual(ticket.state, "remote_solved")
        self.assertTrue(ticket.is_answered)
        self.assertTrue(ticket.answer_on_time)

    def test_s1_authorisation_by_a_stranger_refused(self):
        stranger = self.env["res.partner"].create({"name": "Passer-by"})
        ticket = self._triaged(channel="remote")
        ticket.write({"remote_authorized_by_id": stranger.id})
        with self.assertRaises(UserError):
            ticket.action_authorize_remote()
        self.assertFalse(ticket.remote_authorized)

    def test_s1_cheat_authorisation_typed_refused(self):
        """Issue 13: the authorisation and its date are stamped by the step, never typed."""
        ticket = self._triaged(channel="remote")
        with self.assertRaises(UserError):
            ticket.write({"remote_authorized": True,
                          "remote_authorized_by_id": self.site_contact.id,
                          "remote_authorized_date": "2026-01-01 08:00:00"})
        ticket.invalidate_cache()
        self.assertFalse(ticket.remote_authorized)
        self.assertFalse(ticket.remote_authorized_by_id)
        self.assertFalse(ticket.remote_authorized_date)

    def test_s1_cheat_who_authorised_changed_afterwards_refused(self):
        ticket = self._triaged(channel="remote")
        ticket.write({"remote_authorized_by_id": self.site_contact.id})
        ticket.action_authorize_remote()
        other = self.env["res.partner"].create({"name": "Li Ming", "parent_id": self.customer.id})
        with self.assertRaises(UserError):
            ticket.write({"remote_authorized_by_id": other.id})
        ticket.invalidate_cache()
        self.assertEqual(ticket.remote_authorized_by_id, self.site_contact)

    def test_s2_phone_solution_needs_no_authorisation(self):
        ticket = self._triaged(channel="phone")
        ticket.action_solve_remotely()
        self.assertEqual(ticket.state, "remote_solved")

    def test_remote_solution_confirmed_then_closed(self):
        ticket = self._triaged()
        ticket.action_solve_remotely()
        ticket.action_customer_confirm()
        self.assertEqual(ticket.state, "confirmed")
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")


class TestTicketDispatch(TicketCase):
    """R: S3, S4, K5 - dispatch on site, appointment, arrival on time, no-shows."""

    def test_s3_dispatch_wizard_confirms_site_contact_and_phone(self):
        ticket = self._triaged()
        action = ticket.action_dispatch()
        self.assertEqual(action["res_model"], "aftersales.ticket.dispatch")
        wizard = self.env["aftersales.ticket.dispatch"].sudo(self.hotline).with_context(
            action["context"]).create({
                "engineer_id": self.engineer.id, "appointment_date": _now(hours=3)})
        self.assertEqual(wizard.ticket_id, ticket)
        self.assertEqual(wizard.contact_id, self.site_contact)
        self.assertEqual(wizard.contact_phone, "+86 510 0000 0000")
        self.assertIn("9 Factory Lane", wizard.site_address)

    def test_s3_dispatch_assigns_engineer_and_promises_arrival(self):
        ticket = self._dispatched(appointment=_now(hours=3))
        self.assertEqual(ticket.state, "dispatched")
        self.assertEqual(ticket.engineer_id, self.engineer)
        self.assertEqual(ticket.contact_phone, "+86 510 0000 0000")
        # R: S4, K5 (issue 15): the agreed appointment is the promise, whatever the priority
        self.assertEqual(ticket.arrival_deadline, ticket.appointment_date)
        # Dispatching is the answer to the customer.
        self.assertTrue(ticket.is_answered)
        activity = ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.engineer)
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("aftersales_base.mail_activity_site_visit"))
        self.assertIn(self.engineer.partner_id, ticket.message_partner_ids)

    def test_s3_dispatch_mails_engineer_and_appointment_to_the_contact(self):
        ticket = self._triaged()
        self.site_contact.email = "zhang.wei@acme.example.com"
        self._dispatch_ticket(ticket, _now(hours=3), engineer=self.engineer)
        # The template is posted on the ticket and notifies the site contact.
        messages = ticket.message_ids.filtered(lambda m: self.site_contact in m.partner_ids)
        self.assertEqual(len(messages), 1)
        self.assertIn(self.engineer.name, messages.subject)
        self.assertIn(self.engineer.name, messages.body)

    def test_s3_dispatch_mail_in_the_contacts_language(self):
        self.site_contact.write({"email": "zhang.wei@acme.example.com", "lang": "zh_CN"})
        ticket = self._triaged()
        self._dispatch_ticket(ticket, _now(hours=3), engineer=self.engineer)
        message = ticket.message_ids.filtered(lambda m: self.site_contact in m.partner_ids)
        self.assertIn("上门服务", message.subject)
        self.assertIn("到达现场", message.body)

    def test_s4_later_appointment_becomes_the_promise(self):
        appointment = _now(days=5)
        ticket = self._dispatched(appointment=appointment)
        self.assertEqual(ticket.arrival_deadline, appointment)

    def test_s3_dispatch_without_phone_refused(self):
        ticket = self._triaged()
        with self.assertRaises(UserError):
            ticket._dispatch(self.engineer, _now(hours=2), "Factory", self.site_contact, "")
        self.assertEqual(ticket.state, "triage")

    def test_s3_dispatch_from_new_refused(self):
        ticket = self._create_ticket()
        with self.assertRaises(UserError):
            ticket.action_dispatch()
        with self.assertRaises(UserError):
            self._dispatch_ticket(ticket, _now(hours=2), engineer=self.engineer)
        self.assertEqual(ticket.state, "new")
        self.assertFalse(ticket.engineer_id)

    def test_s3_cheat_portal_customer_as_engineer_refused(self):
        """Issue 13 item 5: the engineer is an internal user of the engineers, never a customer."""
        portal = self.env["res.users"].create({
            "name": "Customer Login", "login": "ticket_portal_customer",
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        ticket = self._triaged()
        for user in (portal, self.user, self.hotline):
            with self.subTest(user=user.login):
                with self.assertRaises(ValidationError):
                    self._dispatch_ticket(ticket, _now(hours=2), engineer=user)
                ticket.invalidate_cache()
                self.assertEqual(ticket.state, "triage")
                self.assertFalse(ticket.engineer_id)
                self.assertFalse(ticket.activity_ids)

    def test_s3_wizard_offers_engineers_only(self):
        domain = self.env["aftersales.ticket.dispatch"]._fields["engineer_id"].domain
        domain = domain(self.env["aftersales.ticket.dispatch"]) if callable(domain) else domain
        offered = self.env["res.users"].search(domain)
        self.assertIn(self.engineer, offered)
        self.assertIn(self.manager, offered)
        self.assertNotIn(self.hotline, offered)
        self.assertNotIn(self.user, offered)

    def test_s4_cheat_appointment_in_the_past_refused(self):
        """Issue 13 item 5: an appointment is agreed for now or later."""
        ticket = self._triaged()
        for appointment in (_now(hours=-2), "2020-01-01 08:00:00", _now(days=400)):
            with self.subTest(appointment=appointment):
                with self.assertRaises(UserError):
                    self._dispatch_ticket(ticket, appointment, engineer=self.engineer)
                ticket.invalidate_cache()
                self.assertEqual(ticket.state, "triage")
                self.assertFalse(ticket.appointment_date)

    def test_k5_arrival_at_the_deadline_is_on_time(self):
        ticket = self._dispatched()
        with self._at(ticket.arrival_deadline):
            ticket.sudo(self.engineer).action_arrive()
        self.assertEqual(ticket.state, "on_site")
        self.assertEqual(ticket.arrival_date, ticket.arrival_deadline)
        self.assertTrue(ticket.arrival_on_time)

    def test_k5_late_arrival_is_recorded_and_explained_before_the_work_is_done(self):
        """Issue 15: the arrival is stamped as it happened; late, the reason is due before
        the work on site is done (as on the service record)."""
        ticket = self._dispatched()
        with self._at(_shift(ticket.arrival_deadline, seconds=1)):
            ticket.sudo(self.engineer).action_arrive()
        self.assertEqual(ticket.state, "on_site")
        self.assertFalse(ticket.arrival_on_time)
        with self.assertRaisesRegex(UserError, "lateness reason"):
            ticket.sudo(self.engineer).action_done()
        self.assertEqual(ticket.state, "on_site")
        ticket.sudo(self.engineer).write({"lateness_reason": "Road closed near the plant."})
        ticket.sudo(self.engineer).action_done()
        self.assertEqual(ticket.state, "done")

    def test_k5_arrival_at_the_appointment_is_on_time_a_second_later_is_late(self):
        """Issue 15 (R: S4, K5): one rule at its boundary, whatever the priority's hours."""
        for offset, on_time in ((0, True), (1, False)):
            ticket = self._dispatched()
            with self._at(_shift(ticket.appointment_date, seconds=offset)):
                ticket.sudo(self.engineer).action_arrive()
            self.assertEqual(ticket.arrival_on_time, on_time, offset)

    def test_k5_late_arrival_with_reason_is_recorded_late(self):
        ticket = self._dispatched()
        ticket.sudo(self.engineer).write(
            {"lateness_reason": "Traffic jam on the G2; customer called at 8:30."})
        with self._at(_shift(ticket.arrival_deadline, minutes=40)):
            ticket.sudo(self.engineer).action_arrive()
        self.assertEqual(ticket.state, "on_site")
        self.assertFalse(ticket.arrival_on_time)

    def test_k5_a_manager_records_an_earlier_arrival_with_its_reason(self):
        """Issue 15: the time it happened (not typed freely): a manager, with a reason,
        between the report and now; the clock counts that time."""
        ticket = self._dispatched(appointment=_now(minutes=20))
        past = _now(minutes=10)  # before the appointment: on time
        later = _now(hours=3)  # when the manager records it
        for user, when, reason, error in (
                (self.hotline, past, "No network on site", AccessError),
                (self.manager, past, "  ", UserError),
                (self.manager, _now(hours=4), "No network on site", UserError),
                (self.manager, _shift(ticket.date_reported, seconds=-1), "No network",
                 UserError)):
            with self._at(later), self.assertRaises(error, msg=(user.login, when, reason)):
                ticket.sudo(user)._record_past_event("arrival", when, reason)
            self.assertEqual((ticket.state, ticket.arrival_date), ("dispatched", False))
        wizard = self.env["aftersales.ticket.past.event"].sudo(self.manager).with_context(
            active_id=ticket.id).create({"date": past, "reason": "The tablet had no network."})
        self.assertEqual(wizard.event, "arrival")
        with self._at(later):
            wizard.action_confirm()
        self.assertEqual((ticket.state, ticket.arrival_date, ticket.arrival_on_time),
                         ("on_site", past, True))
        self.assertIn("The tablet had no network.", ticket.message_ids[0].body)

    def test_k3_a_manager_records_an_earlier_answer(self):
        ticket = self._triaged()
        when = _shift(ticket.date_reported, minutes=1)
        with self._at(_now(hours=2)):
            ticket.sudo(self.manager)._record_past_event("answer", when, "Answered by phone")
            self.assertEqual((ticket.answered_date, ticket.answer_on_time), (when, True))
            with self.assertRaises(UserError):
                ticket.sudo(self.manager)._record_past_event("answer", when, "Again")

    def test_s3_site_visit_activity_is_done_when_the_visit_is(self):
        """Issue 15: the engineer's activity does not stay open once the work is done."""
        ticket = self._on_site()
        visit = self.env.ref("aftersales_base.mail_activity_site_visit")
        self.assertEqual(ticket.activity_ids.activity_type_id, visit)
        ticket.sudo(self.engineer).action_done()
        self.assertFalse(ticket.activity_ids)
        self.assertTrue(ticket.message_ids.filtered(
            lambda m: m.mail_activity_type_id == visit))

    def test_s3_another_engineer_or_appointment_moves_the_visit(self):
        """Issue 15: the activity moves to the new engineer and day, the customer is told,
        the arrival is promised for the new appointment."""
        other = self._create_user("ticket_engineer_2", "aftersales_base.group_aftersales_engineer")
        ticket = self._dispatched(partner_id=self.site_contact.id)
        new = _shift(ticket.appointment_date, days=2)
        told = ticket.message_ids
        wizard = self.env["aftersales.ticket.dispatch"].sudo(self.hotline).with_context(
            active_id=ticket.id).create({"engineer_id": other.id, "appointment_date": new})
        wizard.action_confirm()
        self.assertEqual((ticket.state, ticket.engineer_id, ticket.appointment_date),
                         ("dispatched", other, new))
        self.assertEqual(ticket.arrival_deadline, new)
        activity = ticket.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline),
                         (other, ticket._date_of(new)))
        mails = (ticket.message_ids - told).filtered(lambda m: self.site_contact in m.partner_ids)
        self.assertEqual(len(mails), 1)
        self.assertIn(other.name, mails.subject)
        # the same again changes nothing, and only the hotline reschedules
        with self.assertRaisesRegex(UserError, "already has"):
            ticket.sudo(self.hotline)._reschedule(other, new, "x", self.site_contact, "1")
        with self.assertRaises(AccessError):
            ticket.sudo(self.engineer).action_reschedule()

    def test_s4_no_show_reschedules_and_counts_on_the_customer(self):
        ticket = self._dispatched(partner_id=self.site_contact.id)
        missed = ticket.appointment_date
        new = _shift(missed, days=2)
        action = ticket.action_no_show()
        wizard = self.env["aftersales.ticket.no_show"].sudo(self.hotline).with_context(
            action["context"]).create(
            {"appointment_date": new, "note": "Gate closed, nobody answered the phone."})
        wizard.action_confirm()
        self.assertEqual(ticket.state, "dispatched")
        self.assertEqual(ticket.appointment_date, new)
        self.assertEqual(ticket.no_show_count, 1)
        # Counted on the company, not on the contact who called.
        self.assertEqual(self.customer.aftersales_no_show_count, 1)
        self.assertEqual(self.site_contact.aftersales_no_show_count, 0)
        self.assertGreaterEqual(ticket.arrival_deadline, new)
        self.assertEqual(ticket.activity_ids.date_deadline, new[:10])
        self.assertTrue(ticket.message_ids.filtered(lambda m: "no-show" in (m.body or "")))

    def test_s4_no_show_needs_a_later_appointment(self):
        ticket = self._dispatched()
        missed = ticket.appointment_date
        with self.assertRaises(UserError):
            ticket._register_no_show(_shift(missed, hours=-1), "")
        self.assertEqual(ticket.appointment_date, missed)
        self.assertEqual(self.customer.aftersales_no_show_count, 0)

    def test_s4_cheat_no_show_rescheduled_into_the_past_refused(self):
        ticket = self._dispatched(appointment=_now(hours=1))
        missed = ticket.appointment_date
        with self._at(_shift(missed, days=3)), self.assertRaises(UserError):
            ticket._register_no_show(_shift(missed, hours=2), "")
        ticket.invalidate_cache()
        self.assertEqual(ticket.appointment_date, missed)
        self.assertEqual(ticket.no_show_count, 0)

    def test_s4_no_show_before_dispatch_refused(self):
        ticket = self._triaged()
        with self.assertRaises(UserError):
            ticket.action_no_show()


class TestTicketClosing(TicketCase):
    """R: S5, S15, S16 - done, confirmed by the customer, closed; complaints need analysis."""

    def test_on_site_done_confirmed_closed(self):
        ticket = self._on_site()
        ticket.sudo(self.engineer).action_done()
        self.assertEqual(ticket.state, "done")
        ticket.sudo(self.hotline).action_customer_confirm()
        self.assertEqual(ticket.state, "confirmed")
        ticket.sudo(self.hotline).action_close()
        self.assertEqual(ticket.state, "closed")

    def test_s15_outcome_recorded(self):
        ticket = self._on_site()
        ticket.sudo(self.engineer).write(
            {"outcome": "rework", "outcome_notes": "Gib strips re-adjusted"})
        ticket.sudo(self.engineer).action_done()
        self.assertEqual(ticket.outcome, "rework")

    def test_s16_quality_analyses_the_complaint_then_it_closes(self):
        ticket = self._on_site(is_complaint=True)
        ticket.sudo(self.quality).write({"root_cause": "Clamping pressure left at test value"})
        ticket.sudo(self.engineer).action_done()
        ticket.action_customer_confirm()
        with self.assertRaises(UserError):
            ticket.action_close()
        self.assertEqual(ticket.state, "confirmed")
        ticket.sudo(self.quality).preventive_action = "   "
        with self.assertRaises(UserError):
            ticket.action_close()
        ticket.sudo(self.quality).preventive_action = "Checklist extended"
        ticket.sudo(self.hotline).action_close()
        self.assertEqual(ticket.state, "closed")

    def test_s16_cheat_analysis_by_another_role_refused(self):
        """Issue 13 item 2: root cause and preventive action are quality's (S16)."""
        ticket = self._on_site(is_complaint=True)
        for user in (self.hotline, self.engineer, self.user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    ticket.sudo(user).write({"root_cause": "Nobody's fault",
                                             "preventive_action": "None needed"})
                ticket.invalidate_cache()
                self.assertFalse(ticket.root_cause)
                self.assertFalse(ticket.preventive_action)
        with self.assertRaises(AccessError):
            self._create_ticket(is_complaint=True, root_cause="Typed at intake")

    def test_s16_cheat_complaint_dropped_to_close_it_refused(self):
        """A registered complaint is not unticked to close it without its analysis (S16)."""
        ticket = self._triaged(is_complaint=True)
        ticket.action_solve_remotely()
        ticket.action_customer_confirm()
        with self.assertRaises(AccessError):
            ticket.sudo(self.hotline).write({"is_complaint": False})
        ticket.invalidate_cache()
        self.assertTrue(ticket.is_complaint)
        with self.assertRaises(UserError):
            ticket.action_close()
        self.assertEqual(ticket.state, "confirmed")

    def test_illegal_jumps_refused_and_nothing_changes(self):
        jumps = [
            ("new", "action_solve_remotely"), ("new", "action_arrive"), ("new", "action_done"),
            ("new", "action_customer_confirm"), ("new", "action_close"),
            ("triage", "action_triage"), ("triage", "action_arrive"), ("triage", "action_close"),
            ("dispatched", "action_done"), ("dispatched", "action_solve_remotely"),
            ("on_site", "action_customer_confirm"), ("on_site", "action_dispatch"),
            ("closed", "action_cancel"), ("closed", "action_triage"), ("cancel", "action_close"),
        ]
        tickets = {
            "new": self._create_ticket(archive_id=self.unit.id),
            "triage": self._triaged(),
            "dispatched": self._dispatched(),
            "on_site": self._on_site(),
            "closed": self._closed(),
        }
        cancelled = self._create_ticket()
        cancelled._cancel("Duplicate")
        tickets["cancel"] = cancelled
        for state, method in jumps:
            with self.subTest(state=state, method=method):
                ticket = tickets[state]
                # the manager holds every role: only the stage refuses
                with self.assertRaises(UserError):
                    getattr(ticket.sudo(self.manager), method)()
                ticket.invalidate_cache()
                self.assertEqual(ticket.state, state)

    def test_cancel_needs_a_reason(self):
        ticket = self._triaged()
        action = ticket.action_cancel()
        Cancel = self.env["aftersales.ticket.cancel"].sudo(self.hotline).with_context(
            action["context"])
        with self.assertRaises(UserError):
            Cancel.create({"reason": " "}).action_confirm()
        self.assertEqual(ticket.state, "triage")
        Cancel.create({"reason": "Customer fixed it himself"}).action_confirm()
        self.assertEqual(ticket.state, "cancel")
        self.assertEqual(ticket.cancel_reason, "Customer fixed it himself")

    def test_cancel_removes_the_engineers_activity(self):
        ticket = self._dispatched()
        ticket._cancel("Customer sold the machine")
        self.assertFalse(ticket.activity_ids)

    def test_reopen_is_for_managers(self):
        ticket = self._create_ticket()
        ticket._cancel("Wrong customer")
        for user in (self.user, self.hotline, self.engineer, self.quality):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.sudo(user).action_reset()
        self.assertEqual(ticket.state, "cancel")
        ticket.sudo(self.manager).action_reset()
        self.assertEqual(ticket.state, "new")
        self.assertFalse(ticket.cancel_reason)

    def test_closed_ticket_keeps_only_notes_editable(self):
        """Issue 13 item 4: a closed request is locked; its notes can still be completed."""
        ticket = self._closed()
        ticket.sudo(self.hotline).write({"analysis": "Customer called back: all fine."})
        self.assertEqual(ticket.analysis, "Customer called back: all fine.")
        before = self._snapshot(ticket)
        for user in (self.hotline, self.engineer, self.manager):
            for vals in ({"description": "Rewritten"}, {"priority": "3"},
                         {"partner_id": self.site_contact.id}, {"outcome": "scrap"}):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(UserError):
                        ticket.sudo(user).write(vals)
        self.assertEqual(self._snapshot(ticket), before)


class TestTicketRoles(TicketCase):
    """Issue 13: each step belongs to a role (R: S2-S4 hotline, S4/S5 engineer, reset manager)."""

    def test_hotline_steps_refused_to_other_roles(self):
        steps = [("new", "action_triage"), ("triage", "action_answer"),
                 ("triage", "action_solve_remotely"), ("triage", "action_dispatch"),
                 ("triage", "action_cancel"), ("dispatched", "action_no_show")]
        tickets = {"new": self._create_ticket(), "triage": self._triaged(),
                   "dispatched": self._dispatched()}
        for state, method in steps:
            ticket = tickets[state]
            before = self._snapshot(ticket)
            for user in (self.user, self.engineer, self.quality):
                with self.subTest(method=method, user=user.login):
                    with self.assertRaises(AccessError):
                        getattr(ticket.sudo(user), method)()
                    self.assertEqual(self._snapshot(ticket), before)

    def test_dispatch_wizard_refused_to_the_engineer(self):
        ticket = self._triaged()
        with self.assertRaises(AccessError):
            self._dispatch_ticket(ticket, _now(hours=2), user=self.engineer)
        ticket.invalidate_cache()
        self.assertEqual(ticket.state, "triage")

    def test_closing_steps_are_the_hotlines(self):
        ticket = self._triaged()
        ticket.action_solve_remotely()
        for method in ("action_customer_confirm",):
            with self.assertRaises(AccessError):
                getattr(ticket.sudo(self.engineer), method)()
        ticket.action_customer_confirm()
        with self.assertRaises(AccessError):
            ticket.sudo(self.quality).action_close()
        self.assertEqual(ticket.state, "confirmed")

    def test_only_the_dispatched_engineer_or_a_manager_records_the_visit(self):
        colleague = self._create_user("ticket_engineer_2",
                                      "aftersales_base.group_aftersales_engineer")
        ticket = self._dispatched()
        for user in (colleague, self.hotline, self.user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    ticket.sudo(user).action_arrive()
                ticket.invalidate_cache()
                self.assertEqual(ticket.state, "dispatched")
                self.assertFalse(ticket.arrival_date)
        ticket.sudo(self.manager).action_arrive()
        self.assertEqual(ticket.state, "on_site")
        with self.assertRaises(AccessError):
            ticket.sudo(colleague).action_done()
        ticket.sudo(self.engineer).action_done()
        self.assertEqual(ticket.state, "done")

    def test_forwarding_a_suggestion_is_the_hotlines(self):
        ticket = self._create_ticket(is_suggestion=True, forward_user_id=self.manager.id)
        with self.assertRaises(AccessError):
            ticket.sudo(self.engineer).action_forward_suggestion()
        self.assertFalse(ticket.activity_ids)


class TestTicketCheats(TicketCase):
    """Issue 13 items 2 and 4: state, decisions and KPI dates (R: S2-S4, K3, K5) change only
    through the steps; a direct write or create is refused and nothing is written."""

    def _cheat_value(self, ticket, name):
        field = ticket._fields[name]
        current = ticket[name]
        if field.type == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            return [v for v in values if v != current][-1]
        if field.type == "datetime":
            return "2020-01-01 08:00:00"
        if field.type == "boolean":
            return not current
        if field.type == "integer":
            return current + 5
        if field.type == "many2one":
            return (self.user if field.comodel_name == "res.users" else self.customer).id
        return "CHEAT-%s" % name

    def test_owned_fields_refused_to_every_role_on_write(self):
        tickets = [self._create_ticket(), self._dispatched(), self._closed()]
        for ticket in tickets:
            before = self._snapshot(ticket)
            for name in ticket._guard_owned_fields:
                for user in (self.user, self.hotline, self.engineer, self.quality, self.manager):
                    with self.subTest(state=ticket.state, field=name, user=user.login):
                        with self.assertRaises(UserError):
                            ticket.sudo(user).write({name: self._cheat_value(ticket, name)})
            self.assertEqual(self._snapshot(ticket), before)

    def test_owned_fields_refused_to_every_role_on_create(self):
        Ticket = self.env["aftersales.ticket"]
        template = self._create_ticket()
        count = Ticket.search_count([])
        for name in template._guard_owned_fields:
            for user in (self.hotline, self.manager):
                with self.subTest(field=name, user=user.login):
                    with self.assertRaises(UserError):
                        self._create_ticket(user=user, **{
                            name: self._cheat_value(template, name)})
        self.assertEqual(Ticket.search_count([]), count)

    def test_cheat_created_closed_and_on_time_refused(self):
        Ticket = self.env["aftersales.ticket"]
        count = Ticket.search_count([])
        with self.assertRaises(UserError):
            self._create_ticket(state="closed", is_answered=True, answer_on_time=True,
                                arrival_on_time=True, answered_date="2026-01-01 08:00:00")
        self.assertEqual(Ticket.search_count([]), count)

    def test_cheat_state_written_past_the_guards_refused(self):
        ticket = self._triaged(is_complaint=True)
        for state in ("closed", "confirmed", "new", "cancel"):
            with self.subTest(state=state), self.assertRaises(UserError):
                ticket.sudo(self.manager).write({"state": state})
        ticket.invalidate_cache()
        self.assertEqual(ticket.state, "triage")

    def test_cheat_arrival_in_2020_refused(self):
        """K5: arrival_date in 2020 on a ticket reported now must not count as on time."""
        ticket = self._dispatched()
        with self.assertRaises(UserError):
            ticket.sudo(self.engineer).write({"arrival_date": "2020-01-01 08:00:00"})
        ticket.invalidate_cache()
        self.assertFalse(ticket.arrival_date)
        ticket.sudo(self.engineer).action_arrive()
        self._assertAbout(ticket.arrival_date, fields.Datetime.now())

    def test_even_the_owning_steps_cannot_date_before_the_report(self):
        ticket = self._dispatched()
        with self.assertRaises(ValidationError), self.cr.savepoint():
            ticket._write_owned({"arrival_date": "2020-01-01 08:00:00"})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            ticket._write_owned({"answered_date": "2020-01-01 08:00:00"})

    def test_cheat_typed_report_and_answer_dates_refused(self):
        ticket = self._triaged()
        for vals in ({"answered_date": _now(hours=-1)}, {"date_reported": _now(days=-30)},
                     {"answer_deadline": _now(days=30)}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                ticket.sudo(self.hotline).write(vals)
        with self.assertRaises(UserError):
            self._create_ticket(date_reported="2026-01-01 08:00:00")
        ticket.invalidate_cache()
        self.assertFalse(ticket.answered_date)

    def test_cheat_context_key_does_not_open_the_guard(self):
        """The allowance lives on the cursor: no context key a client sends opens it."""
        ticket = self._triaged()
        keys = {"aftersales_guard_allow": True, "guard_allow": ["state"], "install_mode": True,
                "tracking_disable": True}
        with self.assertRaises(UserError):
            ticket.sudo(self.hotline).with_context(**keys).write({"state": "closed"})
        ticket.invalidate_cache()
        self.assertEqual(ticket.state, "triage")

    def test_copy_leaves_the_owned_fields_behind(self):
        ticket = self._closed()
        copy = ticket.sudo(self.hotline).copy()
        self.assertEqual(copy.state, "new")
        self.assertFalse(copy.is_answered)
        self.assertNotEqual(copy.name, ticket.name)

    def test_cheat_ticket_moved_to_the_customer_of_another_record_refused(self):
        """Issue 13 item 5: a service record and its ticket are the same customer's."""
        ticket = self._on_site()
        create_record(self.env, self.unit, ticket)
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            ticket.sudo(self.hotline).write({"partner_id": other.id, "contact_id": False,
                                             "archive_id": False})
        ticket.invalidate_cache()
        self.assertEqual(ticket.partner_id, self.customer)

    def test_declarations_cover_every_field_and_state(self):
        """Every stored field of the request is owned, editable or free; every stage open or
        locked (issue 13)."""
        Ticket = self.env["aftersales.ticket"]
        declared = (set(Ticket._guard_owned_fields), set(Ticket._guard_editable_fields),
                    set(Ticket._guard_free_fields))
        for one in declared:
            for other in declared:
                if one is not other:
                    self.assertFalse(one & other)
        states = [s for s, _label in Ticket._fields["state"].selection]
        self.assertEqual(sorted(Ticket._guard_open_states + Ticket._guard_locked_states),
                         sorted(states))
        base_fields = {
            name for name, field in Ticket._fields.items()
            if field.store and not field.compute and not field.related
            and field.type not in ("one2many", "many2many") and field._module == "aftersales_base"}
        undeclared = {n for n in base_fields - set.union(*declared)
                      if not Ticket._guard_is_infrastructure(n)}
        self.assertFalse(undeclared)


class TestTicketSuggestion(TicketCase):
    """R: S17 - suggestions are forwarded to the department's responsible person."""

    def test_s17_suggestion_forwarded_with_activity(self):
        ticket = self._create_ticket(is_suggestion=True, forward_user_id=self.manager.id,
                                     description="Offer a chip conveyor with a fine filter")
        ticket.sudo(self.hotline).action_forward_suggestion()
        self.assertEqual(ticket.activity_ids.user_id, self.manager)
        self.assertIn(self.manager.partner_id, ticket.message_partner_ids)

    def test_s17_customer_words_stay_text_in_the_activity(self):
        """Issue 14, item 6: the customer's symptom is shown as text in the activity of the
        person it is forwarded to: no link, no remote image, no style from the customer."""
        symptom = ('Add <a href="http://evil.example">a link</a> <img src="http://x/y.png"/>'
                   '\n<b style="color:red">bold</b> & more')
        ticket = self._create_ticket(is_suggestion=True, forward_user_id=self.manager.id,
                                     description=symptom)
        ticket.sudo(self.hotline).action_forward_suggestion()
        note = ticket.activity_ids.note
        for markup in ("<a ", "<img", "<b "):
            self.assertNotIn(markup, note)
        self.assertNotRegex(note, r"<[^>]*style=")
        self.assertIn("&lt;a href=", note)
        self.assertIn("&amp; more", note)

    def test_s17_forwarding_twice_gives_one_activity(self):
        """Issue 15: a second forward to the same person is refused, one activity stays."""
        ticket = self._create_ticket(is_suggestion=True, forward_user_id=self.manager.id,
                                     description="Offer a chip conveyor")
        ticket.sudo(self.hotline).action_forward_suggestion()
        with self.assertRaisesRegex(UserError, "already with"):
            ticket.sudo(self.hotline).action_forward_suggestion()
        self.assertEqual(len(ticket.activity_ids), 1)

    def test_s17_forward_needs_a_suggestion_and_a_person(self):
        ticket = self._create_ticket(forward_user_id=self.manager.id)
        with self.assertRaises(UserError):
            ticket.action_forward_suggestion()
        ticket.write({"is_suggestion": True, "forward_user_id": False})
        with self.assertRaises(UserError):
            ticket.action_forward_suggestion()
        self.assertFalse(ticket.activity_ids)


class TestTicketReporting(TicketCase):
    """R: S16, K9 - complaints by cause and by month."""

    def test_k9_complaints_by_category_and_month(self):
        finish = self.env.ref("aftersales_base.ticket_category_surface_finish")
        drawn = self.env.ref("aftersales_base.ticket_category_not_as_drawn")
        self._create_ticket(is_complaint=True, category_id=finish.id)
        self._create_ticket(is_complaint=True, category_id=finish.id)
        self._create_ticket(is_complaint=True, category_id=drawn.id)
        self._create_ticket(category_id=drawn.id)
        groups = self.env["aftersales.ticket"].read_group(
            [("is_complaint", "=", True), ("partner_id", "=", self.customer.id)],
            ["category_id", "date_reported"], ["category_id", "date_reported:month"], lazy=False)
        counts = {g["category_id"][0]: g["__count"] for g in groups}
        self.assertEqual(counts, {finish.id: 2, drawn.id: 1})

    def test_s18_seed_categories_exist(self):
        names = self.env["aftersales.ticket.category"].search([]).mapped("name")
        for name in ("Not as drawn", "Dimensions out of tolerance", "Hole positions inconsistent",
                     "Surface treatment", "Surface finish"):
            self.assertIn(name, names)

    def test_used_category_cannot_be_deleted(self):
        category = self.env["aftersales.ticket.category"].create({"name": "Hydraulics"})
        self._create_ticket(category_id=category.id)
        with self.assertRaises(UserError):
            category.sudo(self.manager).unlink()
        self.assertTrue(category.exists())
