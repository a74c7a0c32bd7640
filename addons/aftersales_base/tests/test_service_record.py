import base64
import io
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AftersalesCase
from .service_record_common import (
    create_pending_record, create_record, create_ticket, create_unit, signature_png)

REFUSED = (AccessError, UserError, ValidationError)


def _now(**delta):
    return fields.Datetime.to_string(
        fields.Datetime.from_string(fields.Datetime.now()) + timedelta(**delta))


@contextmanager
def _clock(value):
    """The server's clock reads `value` (the engineer presses a button at that time)."""
    with mock.patch.object(fields.Datetime, "now", return_value=value):
        yield


def _blank_png(alpha=255):
    """An untouched signature pad: white paper, or nothing at all (transparent)."""
    image = Image.new("RGBA", (200, 60), (255, 255, 255, alpha))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class ServiceRecordCase(AftersalesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = create_unit(cls.env, cls.product, "SN-SR-1", cls.customer, cls.site_contact)
        cls.signature = signature_png()
        cls.engineer_env = cls.env(user=cls.role_engineer.id)
        cls.hotline_env = cls.env(user=cls.role_hotline.id)

    def _record(self, ticket=None, **vals):
        """A draft record filled by the engineer, who has arrived on site."""
        return create_record(self.engineer_env, self.unit, ticket, **vals)

    def _pending(self, ticket=None, **vals):
        return create_pending_record(self.engineer_env, self.unit, ticket, **vals)

    def _signed(self, **vals):
        record = self._pending(**vals)
        record.action_sign("Zhang Wei", self.signature)
        return record

    def _dispatched_ticket(self, appointment):
        """A request taken by the hotline and dispatched to the engineer (R: S3, S4)."""
        ticket = create_ticket(self.hotline_env, self.unit)
        ticket.action_triage()
        self._dispatch_ticket(ticket, appointment, engineer=self.role_engineer,
                              user=self.role_hotline)
        return ticket

    def _assertAbout(self, value, expected, seconds=120):
        delta = abs(fields.Datetime.from_string(value) - fields.Datetime.from_string(expected))
        self.assertLess(delta, timedelta(seconds=seconds), "%s is not about %s" % (value, expected))


class TestServiceRecordFlow(ServiceRecordCase):
    """R: S4, S5, S7, A7 - the engineer's own flow: arrive, fill, hand over, signed."""

    def test_s5_engineer_fills_and_the_customer_signs(self):
        record = create_record(self.engineer_env, self.unit, arrive=False)
        self.assertEqual(record.engineer_id, self.role_engineer)
        self.assertFalse(record.date_arrival)
        record.action_arrive()
        self._assertAbout(record.date_arrival, fields.Datetime.now())
        self.assertFalse(record.date_appointment)
        record.write({"hazards": "Loose door interlock", "change_ids": [
            (0, 0, {"change_type": "part_replacement", "name": "Bearing set"})]})
        record.action_request_signature()
        self.assertEqual(record.state, "to_sign")
        self._assertAbout(record.date_departure, fields.Datetime.now())
        self.assertTrue(record.name.startswith("SVC/"))
        # the customer signs on the engineer's tablet
        record.action_sign("  Zhang Wei ", self.signature)
        self.assertEqual(record.state, "signed")
        self.assertEqual(record.signer_name, "Zhang Wei")
        self.assertTrue(record.signed_on)
        self.assertEqual(base64.b64decode(record.signature)[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(sorted(record.event_ids.mapped("event_type")),
                         ["part_replacement", "service"])

    def test_s7_hazards_are_sent_to_the_customer_once_signed(self):
        """R: S7 (issue 15): the contact gets the hazards by e-mail when the record is signed,
        in his language; a record without hazards sends nothing."""
        self.site_contact.lang = "zh_CN"
        record = self._pending(hazards="Door interlock <b>bypassed</b>")
        before = record.message_ids
        record.action_sign("Zhang Wei", self.signature)
        sent = (record.message_ids - before).filtered(lambda m: self.site_contact in m.partner_ids)
        self.assertEqual(len(sent), 1)
        self.assertIn("Door interlock &lt;b&gt;bypassed&lt;/b&gt;", sent.body)  # text, not markup
        self.assertIn("安全隐患", sent.subject)
        quiet = self._pending(hazards="  ")
        before = quiet.message_ids
        quiet.action_sign("Zhang Wei", self.signature)
        self.assertFalse((quiet.message_ids - before).filtered(
            lambda m: self.site_contact in m.partner_ids))

    def test_s4_arrival_is_measured_against_the_appointment_of_the_request(self):
        """R: S4, K5 - arrival stamped by the button, the appointment taken from the request;
        late, the reason is given before the customer signs."""
        appointment = _now(hours=1)
        ticket = self._dispatched_ticket(appointment)
        record = create_record(self.engineer_env, self.unit, ticket, arrive=False)
        with _clock(_now(hours=2)):
            record.action_arrive()
        self.assertEqual(record.date_appointment, ticket.appointment_date)
        self.assertTrue(record.is_late)
        with _clock(_now(hours=5)), self.assertRaisesRegex(UserError, "reason for the delay"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")
        record.lateness_reason = "Road closed near the plant; customer called at 9:15."
        with _clock(_now(hours=5)):
            record.action_request_signature()
        self.assertEqual(record.state, "to_sign")

    def test_s4_arrival_before_the_appointment_is_not_late(self):
        ticket = self._dispatched_ticket(_now(hours=1))
        record = self._record(ticket)
        self.assertEqual(record.date_appointment, ticket.appointment_date)
        self.assertFalse(record.is_late)

    def test_s4_arrival_is_recorded_once_and_before_signing(self):
        record = create_record(self.engineer_env, self.unit, arrive=False)
        with self.assertRaisesRegex(UserError, "arrival"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")
        record.action_arrive()
        arrival = record.date_arrival
        with self.assertRaisesRegex(UserError, "arrival was recorded"):
            record.action_arrive()
        self.assertEqual(record.date_arrival, arrival)

    def test_s5_ready_to_sign_needs_work_done(self):
        record = self._record(work_done="   ")
        with self.assertRaisesRegex(UserError, "work done"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")

    def test_s7_ready_to_sign_needs_test_result(self):
        record = self._record(test_result=False)
        with self.assertRaisesRegex(UserError, "test run"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")

    def test_sign_refused_without_signer_name(self):
        record = self._pending()
        with self.assertRaisesRegex(UserError, "name of the person"):
            record.action_sign("  ", self.signature)
        self.assertEqual(record.state, "to_sign")
        self.assertFalse(record.signature)

    def test_sign_refused_without_signature(self):
        record = self._pending()
        with self.assertRaisesRegex(UserError, "signature is missing"):
            record.action_sign("Zhang Wei", False)
        self.assertEqual(record.state, "to_sign")

    def test_s5_sign_refused_with_a_blank_signature(self):
        """Issue 13: a real signature - a white or empty image is none."""
        record = self._pending()
        for blank in (_blank_png(), _blank_png(alpha=0)):
            with self.assertRaisesRegex(UserError, "signature is empty"):
                record.action_sign("Zhang Wei", blank)
        self.assertEqual(record.state, "to_sign")
        self.assertFalse(record.signature)
        self.assertFalse(record.event_ids)

    def test_sign_refused_when_not_png(self):
        record = self._pending()
        gif = base64.b64encode(b"GIF89a" + b"\x00" * 20).decode()
        with self.assertRaisesRegex(UserError, "PNG"):
            record.action_sign("Zhang Wei", gif)
        with self.assertRaisesRegex(UserError, "not a valid image"):
            record.action_sign("Zhang Wei", "not base64 at all!")
        self.assertEqual(record.state, "to_sign")

    def test_sign_refused_when_too_large(self):
        record = self._pending()
        huge = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024)).decode()
        with self.assertRaisesRegex(UserError, "too large"):
            record.action_sign("Zhang Wei", huge)
        self.assertEqual(record.state, "to_sign")

    def test_sign_refused_from_draft_and_twice(self):
        record = self._record()
        with self.assertRaisesRegex(UserError, "To Sign"):
            record.action_sign("Zhang Wei", self.signature)
        record.action_request_signature()
        record.action_sign("Zhang Wei", self.signature)
        with self.assertRaisesRegex(UserError, "To Sign"):
            record.action_sign("Li Na", self.signature)
        self.assertEqual(record.signer_name, "Zhang Wei")

    def test_back_to_draft_and_cancel(self):
        record = self._pending()
        record.action_back_to_draft()
        self.assertEqual(record.state, "draft")
        record.work_done = "Replaced the bearing and the seal."
        record.action_cancel()
        self.assertEqual(record.state, "cancel")
        with self.assertRaises(UserError):
            record.action_request_signature()

    def test_signing_page_action_needs_pending_record(self):
        record = self._record()
        with self.assertRaises(UserError):
            record.action_open_signature_page()
        record.action_request_signature()
        action = record.action_open_signature_page()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("/my/service_records/%s/sign?access_token=%s" % (
            record.id, record.access_token), action["url"])


class TestServiceRecordRoles(ServiceRecordCase):
    """Issue 13: the engineer fills the record and hands it over; the other roles read it."""

    def test_only_engineers_create_records(self):
        Record = self.env["aftersales.service.record"]
        before = Record.search_count([])
        for user in (self.role_hotline, self.role_quality, self.role_parts_clerk, self.user):
            with self.assertRaises(AccessError):
                create_record(self.env(user=user.id), self.unit, arrive=False)
        self.assertEqual(Record.search_count([]), before)

    def test_other_roles_do_not_fill_or_hand_over(self):
        record = self._record()
        for user in (self.role_hotline, self.role_quality, self.role_parts_clerk):
            as_user = record.sudo(user)
            self.assertEqual(as_user.work_done, "Replaced the spindle front bearing.")
            with self.assertRaises(AccessError):
                as_user.write({"work_done": "Nothing to see"})
            for action in ("action_request_signature", "action_cancel"):
                with self.assertRaises(AccessError):
                    getattr(as_user, action)()
        with self.assertRaises(AccessError):
            create_record(self.engineer_env, self.unit, arrive=False).sudo(
                self.role_hotline).action_arrive()
        record.action_request_signature()
        with self.assertRaises(AccessError):
            record.sudo(self.role_hotline).action_sign("Zhang Wei", self.signature)
        with self.assertRaises(AccessError):
            record.sudo(self.role_hotline).action_back_to_draft()
        record.invalidate_cache()
        self.assertEqual(record.state, "to_sign")
        self.assertEqual(record.work_done, "Replaced the spindle front bearing.")
        self.assertFalse(record.event_ids)

    def test_engineer_of_a_record_is_a_service_engineer(self):
        # a refused call is rolled back, as a server call is (the savepoint)
        with self.assertRaisesRegex(ValidationError, "not a service engineer"), \
                self.cr.savepoint():
            self._record(engineer_id=self.role_hotline.id)
        record = self._record()
        with self.assertRaisesRegex(ValidationError, "not a service engineer"), \
                self.cr.savepoint():
            record.write({"engineer_id": self.employee.id})
        record.invalidate_cache()
        self.assertEqual(record.engineer_id, self.role_engineer)


class TestServiceRecordCheats(ServiceRecordCase):
    """Issue 13, items 2 and 4: state, signature and visit times change only through the
    actions - a direct write or create is refused and nothing changes (R: S4, S5, A7)."""

    def test_s5_a7_signed_only_through_action_sign(self):
        """Issue 13: a record set `signed` with no signature, nothing filed on the unit."""
        record = self._pending()
        events = self.unit.event_ids
        for user in (self.role_engineer, self.manager):
            for vals in ({"state": "signed"},
                         {"state": "signed", "signer_name": "Zhang Wei",
                          "signature": self.signature}):
                with self.assertRaisesRegex(UserError, "only through its own actions"):
                    record.sudo(user).write(vals)
        record.invalidate_cache()
        self.assertEqual(record.state, "to_sign")
        self.assertFalse(record.signer_name)
        self.assertFalse(record.signature)
        self.assertFalse(record.signed_on)
        self.assertEqual(self.unit.event_ids, events)

    def test_s5_states_move_only_through_actions(self):
        record = self._record()
        for state in ("to_sign", "cancel", "signed"):
            with self.assertRaises(UserError):
                record.write({"state": state})
        signed = self._signed()
        with self.assertRaises(UserError):
            signed.sudo(self.manager).write({"state": "draft"})
        record.invalidate_cache()
        self.assertEqual(record.state, "draft")
        self.assertEqual(signed.state, "signed")

    def test_s5_create_signed_refused(self):
        Record = self.env["aftersales.service.record"]
        before = Record.search_count([])
        for vals in ({"state": "signed"}, {"state": "to_sign"},
                     {"signer_name": "Zhang Wei", "signature": self.signature},
                     {"signed_on": "2026-11-20 05:00:00"}, {"name": "SVC/FAKE"},
                     {"access_token": "known-token"}):
            with self.assertRaisesRegex(UserError, "only through its own actions"):
                create_record(self.engineer_env, self.unit, arrive=False, **vals)
        self.assertEqual(Record.search_count([]), before)

    def test_s4_visit_times_are_not_typed(self):
        """Issue 13 item 4: arrival, appointment and departure feed the on-time KPIs."""
        record = self._pending()
        record.action_back_to_draft()
        times = record.read(["date_appointment", "date_arrival", "date_departure"])[0]
        for vals in ({"date_arrival": "2020-01-01 00:00:00"},
                     {"date_appointment": _now(days=3)},
                     {"date_departure": _now(hours=1)}):
            with self.assertRaisesRegex(UserError, "only through its own actions"):
                record.sudo(self.role_engineer).write(vals)
        record.invalidate_cache()
        self.assertEqual(record.read(list(times))[0], times)
        Record = self.env["aftersales.service.record"]
        before = Record.search_count([])
        for vals in ({"date_arrival": "2026-11-20 00:50:00"},
                     {"date_appointment": "2026-11-20 09:00:00"},
                     {"date_departure": "2026-11-20 05:00:00"}):
            with self.assertRaisesRegex(UserError, "only through its own actions"):
                self.engineer_env["aftersales.service.record"].create(dict(vals, **{
                    "archive_id": self.unit.id, "partner_id": self.customer.id}))
        self.assertEqual(Record.search_count([]), before)

    def test_k7_budget_is_the_managers(self):
        record = self._record()
        budget = record.cost_budget
        with self.assertRaises(AccessError):
            record.write({"cost_budget": 99999.0})
        with self.assertRaises(AccessError):
            self._record(cost_budget=99999.0)
        record.invalidate_cache()
        self.assertEqual(record.cost_budget, budget)
        record.sudo(self.manager).write({"cost_budget": 800.0})
        self.assertEqual(record.cost_budget, 800.0)

    def test_customer_is_the_customer_of_the_request(self):
        """Issue 13 item 5: a service record cannot belong to another customer than its
        ticket."""
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        other_unit = create_unit(self.env, self.product, "SN-SR-OTHER", other)
        ticket = create_ticket(self.hotline_env, self.unit)
        Record = self.env["aftersales.service.record"]
        before = Record.search_count([])
        # a refused call is rolled back, as a server call is (the savepoint)
        with self.assertRaisesRegex(ValidationError, "Service request"), self.cr.savepoint():
            create_record(self.engineer_env, other_unit, ticket, arrive=False)
        self.assertEqual(Record.search_count([]), before)
        record = self._record(ticket)
        with self.assertRaisesRegex(ValidationError, "Service request|belongs to"), \
                self.cr.savepoint():
            record.write({"archive_id": other_unit.id, "partner_id": other.id})
        record.invalidate_cache()
        self.assertEqual(record.partner_id, self.customer)
        self.assertEqual(record.archive_id, self.unit)


class TestServiceRecordLock(ServiceRecordCase):
    """R: S5, A5 - what the customer is asked to sign, and has signed, no longer changes."""

    def _with_change(self):
        return self._pending(change_ids=[
            (0, 0, {"change_type": "part_replacement", "name": "Bearing set"})])

    def _assert_untouched(self, record):
        record.invalidate_cache()
        self.assertEqual(record.work_done, "Replaced the spindle front bearing.")
        self.assertEqual(record.change_ids.mapped("name"), ["Bearing set"])

    def _assert_locked(self, record, user):
        as_user = record.sudo(user)
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            as_user.write({"work_done": "Something else"})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            as_user.write({"change_ids": [(0, 0, {"name": "Late addition"})]})
        with self.assertRaises(UserError):
            as_user.change_ids.write({"name": "Other part"})
        with self.assertRaises(UserError):
            self.env["aftersales.service.record.change"].sudo(user).create({
                "record_id": record.id, "name": "Late addition"})
        with self.assertRaises(UserError):
            as_user.change_ids.unlink()
        self._assert_untouched(record)

    def test_s5_record_to_sign_is_locked_until_back_to_draft(self):
        record = self._with_change()
        self._assert_locked(record, self.role_engineer)
        record.action_back_to_draft()
        record.change_ids.write({"name": "Bearing set FAG"})
        self.assertEqual(record.change_ids.name, "Bearing set FAG")

    def test_s5_a5_signed_record_and_its_changes_are_locked(self):
        record = self._with_change()
        record.action_sign("Zhang Wei", self.signature)
        for user in (self.role_engineer, self.manager):
            self._assert_locked(record, user)
        with self.assertRaises(UserError):
            record.action_cancel()
        self.assertEqual(record.state, "signed")

    def test_cancelled_record_is_locked(self):
        record = self._with_change()
        record.action_cancel()
        self._assert_locked(record, self.role_engineer)

    def test_a5_a_change_stays_on_its_record(self):
        record = self._with_change()
        draft = self._record()
        draft_change = self.engineer_env["aftersales.service.record.change"].create({
            "record_id": draft.id, "name": "Seal"})
        with self.assertRaisesRegex(UserError, "belongs to its service record"):
            draft_change.write({"record_id": record.id})
        self.assertEqual(draft_change.record_id, draft)
        self.assertEqual(record.change_ids.mapped("name"), ["Bearing set"])

    def test_s6_s7_responsibility_and_hazards_stay_as_signed(self):
        """R: S6, S7 - other equipment touched at the customer's request and the hazards found
        are recorded before the signature and stay as the customer signed them."""
        record = self._signed(
            responsibility_notes="Checked the customer's chip conveyor at his request; "
                                 "customer remains responsible.",
            hazards="Door interlock loose; reported to Mr Wang.")
        for vals in ({"responsibility_notes": "Nothing touched"}, {"hazards": False}):
            with self.assertRaisesRegex(UserError, "can no longer be changed"):
                record.write(vals)
        record.invalidate_cache()
        self.assertIn("chip conveyor", record.responsibility_notes)
        self.assertIn("interlock", record.hazards)

    def test_signed_record_keeps_its_chatter(self):
        record = self._signed()
        record.message_post(body="Customer asked for a copy.")
        self.assertEqual(record.state, "signed")

    def test_used_records_are_not_deleted(self):
        record = self._signed()
        with self.assertRaises(UserError):
            record.sudo(self.manager).unlink()
        draft = create_record(self.env(user=self.manager.id), self.unit)
        draft.unlink()
        self.assertFalse(draft.exists())


class TestServiceRecordRules(ServiceRecordCase):

    def test_unit_must_belong_to_the_customer(self):
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._record(partner_id=other.id)

    def test_departure_after_arrival(self):
        with self.assertRaisesRegex(ValidationError, "departure"):
            self._record(date_arrival="2026-11-20 02:00:00",
                         date_departure="2026-11-20 00:10:00")

    def test_onchange_ticket_fills_unit_and_customer(self):
        ticket = self._dispatched_ticket(_now(hours=1))
        record = self.engineer_env["aftersales.service.record"].new({"ticket_id": ticket.id})
        record._onchange_ticket_id()
        self.assertEqual(record.archive_id, self.unit)
        self.assertEqual(record.partner_id, self.customer)
        self.assertEqual(record.engineer_id, self.role_engineer)

    def test_only_aftersales_users_see_records(self):
        record = self._record()
        with self.assertRaises(AccessError):
            record.sudo(self.employee).read(["work_done"])
        self.assertEqual(record.sudo(self.user).work_done, "Replaced the spindle front bearing.")

    def test_ticket_counts_its_service_records(self):
        ticket = create_ticket(self.hotline_env, self.unit)
        self._record(ticket)
        self._record(ticket)
        self.assertEqual(ticket.service_record_count, 2)
        action = ticket.action_view_service_records()
        self.assertEqual(action["context"]["default_archive_id"], self.unit.id)


class TestServiceRecordCosts(ServiceRecordCase):
    """R: K7 - what a service cost (vehicle, consumables, other) against its budget."""

    def setUp(self):
        super().setUp()
        self.manager_env = self.env(user=self.manager.id)

    def test_k7_budget_defaults_from_company_and_total_adds_up(self):
        self.env.user.company_id.aftersales_service_cost_budget = 800.0
        record = self._record(cost_vehicle=300.0, cost_consumables=120.5, cost_other=79.5)
        self.assertEqual(record.cost_budget, 800.0)
        self.assertEqual(record.cost_total, 500.0)
        self.assertFalse(record.is_cost_overrun)
        record.cost_other = 400.0
        self.assertEqual(record.cost_total, 820.5)
        self.assertTrue(record.is_cost_overrun)

    def test_k7_new_record_in_the_form_is_no_overrun(self):
        """The form computes the flags before the record exists (no currency read yet)."""
        record = self.engineer_env["aftersales.service.record"].new(
            {"archive_id": self.unit.id, "cost_budget": 1000.0})
        self.assertFalse(record.is_cost_overrun)
        record.cost_vehicle = 1000.5
        self.assertTrue(record.is_cost_overrun)

    def test_k7_cost_at_budget_is_no_overrun(self):
        record = create_record(self.manager_env, self.unit, cost_budget=500.0,
                               cost_vehicle=500.0)
        self.assertFalse(record.is_cost_overrun)

    def test_k7_no_budget_no_overrun(self):
        record = create_record(self.manager_env, self.unit, cost_budget=0.0,
                               cost_vehicle=9000.0)
        self.assertFalse(record.is_cost_overrun)

    def test_k7_overrun_must_be_explained_before_signing(self):
        self.env.user.company_id.aftersales_service_cost_budget = 500.0
        record = self._record(cost_vehicle=450.0, cost_consumables=200.0)
        with self.assertRaisesRegex(UserError, "explain the overrun"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")
        record.cost_overrun_reason = "   "
        with self.assertRaisesRegex(UserError, "explain the overrun"):
            record.action_request_signature()
        record.cost_overrun_reason = "Second trip: the replacement valve arrived a day late."
        record.action_request_signature()
        self.assertEqual(record.state, "to_sign")

    def test_k7_negative_costs_refused(self):
        for field in ("cost_vehicle", "cost_consumables", "cost_other", "cost_budget"):
            with self.assertRaisesRegex(ValidationError, "cannot be negative"):
                create_record(self.manager_env, self.unit, **{field: -1.0})

    def test_k7_costs_frozen_once_signed(self):
        record = self._signed(cost_vehicle=100.0)
        with self.assertRaises(UserError):
            record.cost_vehicle = 10.0
        self.assertEqual(record.cost_total, 100.0)

    def test_k7_budget_setting_refuses_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["res.config.settings"].create({"aftersales_service_cost_budget": -5.0})


class TestServiceRecordSigningLink(ServiceRecordCase):
    """Issue 14: the link that lets a customer sign without logging in is short-lived."""

    def test_link_valid_for_the_company_days(self):
        self.env.user.company_id.aftersales_signing_link_days = 5
        record = self._pending()
        self._assertAbout(record.sudo().access_token_deadline, _now(days=5))
        self.assertTrue(record._signing_link_is_live())

    def test_link_dead_once_expired_signed_or_back_in_draft(self):
        expired = self._pending()
        with _clock(_now(days=31)):
            self.assertFalse(expired._signing_link_is_live())
        signed = self._signed()
        self.assertFalse(signed._signing_link_is_live())
        back = self._pending()
        back.action_back_to_draft()
        self.assertFalse(back._signing_link_is_live())

    def test_each_request_for_signature_issues_a_new_token(self):
        record = self._pending()
        first = record.sudo().access_token
        record.action_back_to_draft()
        record.action_request_signature()
        self.assertNotEqual(record.sudo().access_token, first)

    def test_setting_refuses_less_than_a_day(self):
        for days in (0, -3):
            with self.assertRaisesRegex(ValidationError, "one day at least"):
                self.env["res.config.settings"].create({"aftersales_signing_link_days": days})

class TestServiceRecordFiling(ServiceRecordCase):
    """R: A5, A7 - signing files the record and its changes into the unit's timeline."""

    def test_a7_a5_signing_files_service_and_changes(self):
        record = self._pending(change_ids=[
            (0, 0, {"change_type": "part_replacement", "name": "Spindle bearing set replaced"}),
            (0, 0, {"change_type": "technical_change", "name": "Drive parameters v2.3"}),
        ])
        before = self.unit.event_ids
        record.action_sign("Zhang Wei", self.signature)
        events = self.unit.event_ids - before
        self.assertEqual(sorted(events.mapped("event_type")),
                         ["part_replacement", "service", "technical_change"])
        self.assertEqual(set(events.mapped("res_model")), {"aftersales.service.record"})
        self.assertEqual(set(events.mapped("res_id")), {record.id})
        self.assertEqual(events.mapped("user_id"), self.role_engineer)
        service = events.filtered(lambda e: e.event_type == "service")
        self.assertIn(record.name, service.name)
        self.assertIn("spindle front bearing", service.name)
        self.assertEqual(record.event_ids, events)

    def test_a7_filed_events_cannot_be_edited_or_deleted(self):
        """Issue 13 item 4: the text and date of the timeline events of a signed record."""
        record = self._signed()
        events = record.event_ids
        filed = events.read(["name", "date", "event_type"])
        for user in (self.role_engineer, self.manager):
            with self.assertRaises(REFUSED):
                events.sudo(user).write({"name": "Nothing happened", "date": "2020-01-01"})
            with self.assertRaises(REFUSED):
                events.sudo(user).unlink()
        with self.assertRaisesRegex(UserError, "only through its own actions"):
            events.write({"date": "2020-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            events.unlink()
        events.invalidate_cache()
        self.assertEqual(events.read(["name", "date", "event_type"]), filed)

    def test_a7_nothing_filed_before_signature(self):
        before = self.unit.event_ids
        record = self._pending()
        with self.assertRaises(UserError):
            record.action_sign("", self.signature)
        self.assertEqual(self.unit.event_ids, before)

    def test_signing_ends_on_site_work_of_the_ticket(self):
        ticket = self._dispatched_ticket(_now(hours=1))
        ticket.sudo(self.role_engineer).action_arrive()
        self.assertEqual(ticket.state, "on_site")
        record = self._pending(ticket)
        ticket_class = type(self.env["aftersales.ticket"])
        with mock.patch.object(ticket_class, "action_done", create=True) as action_done:
            record.action_sign("Zhang Wei", self.signature)
        action_done.assert_called_once_with()

    def test_signing_leaves_other_ticket_stages_alone(self):
        ticket = create_ticket(self.hotline_env, self.unit)
        ticket.action_triage()
        record = self._pending(ticket)
        self.assertEqual(ticket.state, "triage")
        ticket_class = type(self.env["aftersales.ticket"])
        with mock.patch.object(ticket_class, "action_done", create=True) as action_done:
            record.action_sign("Zhang Wei", self.signature)
        action_done.assert_not_called()


class TestServiceRecordReport(ServiceRecordCase):
    """The printable 维护记录单 in the customer's language, with its signature block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls.env.ref("aftersales_base.action_report_service_record")
        cls.record = create_pending_record(
            cls.engineer_env, cls.unit, hazards="Loose door interlock")
        cls.record.action_sign("Zhang Wei", cls.signature)

    def _html(self, lang):
        # the record is read by its contact (issue 15), of the customer's language here
        (self.customer | self.site_contact).write({"lang": lang})
        return self.report.render_qweb_html(self.record.ids)[0].decode("utf-8")

    def test_report_html_has_signature_block_in_english(self):
        html = self._html("en_US")
        self.assertIn("o_aftersales_signature_block", html)
        self.assertIn("Customer Signature", html)
        self.assertIn("Zhang Wei", html)
        self.assertIn("data:image/png;base64,", html)
        self.assertIn("Loose door interlock", html)

    def test_report_html_in_chinese(self):
        self.assertTrue(self.env["res.lang"].search([("code", "=", "zh_CN")]),
                        "zh_CN must be loaded in the test database")
        html = self._html("zh_CN")
        self.assertIn("维护记录单", html)
        self.assertIn("客户签字", html)
        self.assertIn("工作内容", html)
        self.assertNotIn("Customer Signature", html)

    def test_report_renders_a4_pdf(self):
        self.assertEqual(self.report.paperformat_id.format, "A4")
        html = self._html("zh_CN")
        bodies, _ids, header, footer, paper_args = self.report._prepare_html(html)
        pdf = self.report._run_wkhtmltopdf(
            bodies, header=header, footer=footer, specific_paperformat_args=paper_args)
        self.assertTrue(pdf.startswith(b"%PDF"))
