import base64
from unittest import mock

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AftersalesCase
from .service_record_common import (
    create_customer, create_pending_record, create_record, create_ticket, create_unit,
    signature_png)


class ServiceRecordCase(AftersalesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = create_unit(cls.env, cls.product, "SN-SR-1", cls.customer, cls.site_contact)
        cls.signature = signature_png()


class TestServiceRecordSigning(ServiceRecordCase):
    """R: S4, S5, S7 - what the customer signs is complete; the signature is checked."""

    def test_s5_sign_happy_path(self):
        record = create_pending_record(self.env, self.unit)
        self.assertEqual(record.state, "to_sign")
        self.assertTrue(record.name.startswith("SVC/"))
        record.sudo(self.user).action_sign("  Zhang Wei ", self.signature)
        self.assertEqual(record.state, "signed")
        self.assertEqual(record.signer_name, "Zhang Wei")
        self.assertTrue(record.signed_on)
        self.assertEqual(base64.b64decode(record.signature)[:8], b"\x89PNG\r\n\x1a\n")

    def test_s5_ready_to_sign_needs_work_done(self):
        record = create_record(self.env, self.unit, work_done="   ")
        with self.assertRaisesRegex(UserError, "work done"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")

    def test_s7_ready_to_sign_needs_test_result(self):
        record = create_record(self.env, self.unit, test_result=False)
        with self.assertRaisesRegex(UserError, "test run"):
            record.action_request_signature()
        self.assertEqual(record.state, "draft")

    def test_s4_late_arrival_needs_a_reason(self):
        record = create_record(self.env, self.unit, date_arrival="2026-11-20 02:30:00")
        self.assertTrue(record.is_late)
        with self.assertRaisesRegex(UserError, "reason for the delay"):
            record.action_request_signature()
        record.lateness_reason = "Road closed near the plant; customer called at 9:15."
        record.action_request_signature()
        self.assertEqual(record.state, "to_sign")

    def test_s4_early_arrival_is_not_late(self):
        record = create_record(self.env, self.unit)
        self.assertFalse(record.is_late)

    def test_sign_refused_without_signer_name(self):
        record = create_pending_record(self.env, self.unit)
        with self.assertRaisesRegex(UserError, "name of the person"):
            record.action_sign("  ", self.signature)
        self.assertEqual(record.state, "to_sign")
        self.assertFalse(record.signature)

    def test_sign_refused_without_signature(self):
        record = create_pending_record(self.env, self.unit)
        with self.assertRaisesRegex(UserError, "signature is missing"):
            record.action_sign("Zhang Wei", False)
        self.assertEqual(record.state, "to_sign")

    def test_sign_refused_when_not_png(self):
        record = create_pending_record(self.env, self.unit)
        gif = base64.b64encode(b"GIF89a" + b"\x00" * 20).decode()
        with self.assertRaisesRegex(UserError, "PNG"):
            record.action_sign("Zhang Wei", gif)
        with self.assertRaisesRegex(UserError, "not a valid image"):
            record.action_sign("Zhang Wei", "not base64 at all!")
        self.assertEqual(record.state, "to_sign")

    def test_sign_refused_when_too_large(self):
        record = create_pending_record(self.env, self.unit)
        huge = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024)).decode()
        with self.assertRaisesRegex(UserError, "too large"):
            record.action_sign("Zhang Wei", huge)
        self.assertEqual(record.state, "to_sign")

    def test_sign_refused_from_draft_and_twice(self):
        record = create_record(self.env, self.unit)
        with self.assertRaisesRegex(UserError, "To Sign"):
            record.action_sign("Zhang Wei", self.signature)
        record.action_request_signature()
        record.action_sign("Zhang Wei", self.signature)
        with self.assertRaisesRegex(UserError, "To Sign"):
            record.action_sign("Li Na", self.signature)
        self.assertEqual(record.signer_name, "Zhang Wei")

    def test_back_to_draft_and_cancel(self):
        record = create_pending_record(self.env, self.unit)
        record.action_back_to_draft()
        self.assertEqual(record.state, "draft")
        record.action_cancel()
        self.assertEqual(record.state, "cancel")
        with self.assertRaises(UserError):
            record.action_request_signature()

    def test_signing_page_action_needs_pending_record(self):
        record = create_record(self.env, self.unit)
        with self.assertRaises(UserError):
            record.action_open_signature_page()
        record.action_request_signature()
        action = record.action_open_signature_page()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("/my/service_records/%s/sign?access_token=%s" % (
            record.id, record.access_token), action["url"])


class TestServiceRecordLock(ServiceRecordCase):
    """A signed record is the customer's document: it cannot change afterwards."""

    def _signed(self):
        record = create_pending_record(self.env, self.unit, change_ids=[
            (0, 0, {"change_type": "part_replacement", "name": "Bearing set"})])
        record.action_sign("Zhang Wei", self.signature)
        return record

    def test_signed_record_cannot_be_edited(self):
        record = self._signed()
        with self.assertRaisesRegex(UserError, "new service record"):
            record.sudo(self.user).write({"work_done": "Something else"})
        with self.assertRaises(UserError):
            record.change_ids.write({"name": "Other part"})
        with self.assertRaises(UserError):
            self.env["aftersales.service.record.change"].create({
                "record_id": record.id, "name": "Late addition"})
        with self.assertRaises(UserError):
            record.action_cancel()
        record.invalidate_cache()
        self.assertEqual(record.work_done, "Replaced the spindle front bearing.")
        self.assertEqual(record.change_ids.name, "Bearing set")

    def test_signed_record_keeps_its_chatter(self):
        record = self._signed()
        record.message_post(body="Customer asked for a copy.")
        self.assertEqual(record.state, "signed")

    def test_used_records_are_not_deleted(self):
        record = self._signed()
        with self.assertRaises(UserError):
            record.unlink()
        draft = create_record(self.env, self.unit)
        draft.unlink()
        self.assertFalse(draft.exists())


class TestServiceRecordRules(ServiceRecordCase):

    def test_unit_must_belong_to_the_customer(self):
        other = self.env["res.partner"].create({"name": "Other Works", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            create_record(self.env, self.unit, partner_id=other.id)

    def test_departure_after_arrival(self):
        with self.assertRaisesRegex(ValidationError, "departure"):
            create_record(self.env, self.unit, date_departure="2026-11-20 00:10:00")

    def test_onchange_ticket_fills_unit_and_customer(self):
        ticket = create_ticket(self.env, self.unit, engineer_id=self.user.id)
        record = self.env["aftersales.service.record"].new({"ticket_id": ticket.id})
        record._onchange_ticket_id()
        self.assertEqual(record.archive_id, self.unit)
        self.assertEqual(record.partner_id, self.customer)
        self.assertEqual(record.engineer_id, self.user)

    def test_onchange_ticket_takes_the_appointment(self):
        """R: S4 - the appointment agreed at dispatch is the one the arrival is compared with."""
        ticket = create_ticket(self.env, self.unit, engineer_id=self.user.id,
                               appointment_date="2026-11-21 01:00:00")
        record = self.env["aftersales.service.record"].new(
            {"ticket_id": ticket.id, "date_arrival": "2026-11-21 02:30:00"})
        record._onchange_ticket_id()
        self.assertEqual(record.date_appointment, "2026-11-21 01:00:00")
        self.assertTrue(record.is_late)

    def test_only_aftersales_users_see_records(self):
        record = create_record(self.env, self.unit)
        with self.assertRaises(AccessError):
            record.sudo(self.employee).read(["work_done"])
        self.assertEqual(record.sudo(self.user).work_done, "Replaced the spindle front bearing.")

    def test_ticket_counts_its_service_records(self):
        ticket = create_ticket(self.env, self.unit)
        create_record(self.env, self.unit, ticket)
        create_record(self.env, self.unit, ticket)
        self.assertEqual(ticket.service_record_count, 2)
        action = ticket.action_view_service_records()
        self.assertEqual(action["context"]["default_archive_id"], self.unit.id)


class TestServiceRecordCosts(ServiceRecordCase):
    """R: K7 - what a service cost (vehicle, consumables, other) against its budget."""

    def test_k7_budget_defaults_from_company_and_total_adds_up(self):
        self.env.user.company_id.aftersales_service_cost_budget = 800.0
        record = create_record(self.env, self.unit, cost_vehicle=300.0,
                               cost_consumables=120.5, cost_other=79.5)
        self.assertEqual(record.cost_budget, 800.0)
        self.assertEqual(record.cost_total, 500.0)
        self.assertFalse(record.is_cost_overrun)
        record.cost_other = 400.0
        self.assertEqual(record.cost_total, 820.5)
        self.assertTrue(record.is_cost_overrun)

    def test_k7_new_record_in_the_form_is_no_overrun(self):
        """The form computes the flags before the record exists (no currency read yet)."""
        record = self.env["aftersales.service.record"].new(
            {"archive_id": self.unit.id, "cost_budget": 1000.0})
        self.assertFalse(record.is_cost_overrun)
        record.cost_vehicle = 1000.5
        self.assertTrue(record.is_cost_overrun)

    def test_k7_cost_at_budget_is_no_overrun(self):
        record = create_record(self.env, self.unit, cost_budget=500.0, cost_vehicle=500.0)
        self.assertFalse(record.is_cost_overrun)

    def test_k7_no_budget_no_overrun(self):
        record = create_record(self.env, self.unit, cost_budget=0.0, cost_vehicle=9000.0)
        self.assertFalse(record.is_cost_overrun)

    def test_k7_overrun_must_be_explained_before_signing(self):
        record = create_record(self.env, self.unit, cost_budget=500.0, cost_vehicle=450.0,
                               cost_consumables=200.0)
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
                create_record(self.env, self.unit, **{field: -1.0})

    def test_k7_costs_frozen_once_signed(self):
        record = create_pending_record(self.env, self.unit, cost_vehicle=100.0)
        record.action_sign("Zhang Wei", self.signature)
        with self.assertRaises(UserError):
            record.cost_vehicle = 10.0
        self.assertEqual(record.cost_total, 100.0)

    def test_k7_budget_setting_refuses_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["res.config.settings"].create({"aftersales_service_cost_budget": -5.0})


class TestServiceRecordFiling(ServiceRecordCase):
    """R: A5, A7 - signing files the record and its changes into the unit's timeline."""

    def test_a7_a5_signing_files_service_and_changes(self):
        record = create_pending_record(self.env, self.unit, change_ids=[
            (0, 0, {"change_type": "part_replacement", "name": "Spindle bearing set replaced"}),
            (0, 0, {"change_type": "technical_change", "name": "Drive parameters v2.3"}),
        ])
        before = self.unit.event_ids
        record.sudo(self.user).action_sign("Zhang Wei", self.signature)
        events = self.unit.event_ids - before
        self.assertEqual(sorted(events.mapped("event_type")),
                         ["part_replacement", "service", "technical_change"])
        self.assertEqual(set(events.mapped("res_model")), {"aftersales.service.record"})
        self.assertEqual(set(events.mapped("res_id")), {record.id})
        service = events.filtered(lambda e: e.event_type == "service")
        self.assertIn(record.name, service.name)
        self.assertIn("spindle front bearing", service.name)
        self.assertEqual(record.event_ids, events)

    def test_a7_nothing_filed_before_signature(self):
        before = self.unit.event_ids
        record = create_pending_record(self.env, self.unit)
        with self.assertRaises(UserError):
            record.action_sign("", self.signature)
        self.assertEqual(self.unit.event_ids, before)

    def test_signing_ends_on_site_work_of_the_ticket(self):
        ticket = create_ticket(self.env, self.unit)
        ticket.write({"state": "on_site"})
        record = create_pending_record(self.env, self.unit, ticket)
        ticket_class = type(self.env["aftersales.ticket"])
        with mock.patch.object(ticket_class, "action_done", create=True) as action_done:
            record.action_sign("Zhang Wei", self.signature)
        action_done.assert_called_once_with()

    def test_signing_leaves_other_ticket_stages_alone(self):
        ticket = create_ticket(self.env, self.unit)
        ticket.write({"state": "dispatched"})
        record = create_pending_record(self.env, self.unit, ticket)
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
        cls.record = create_pending_record(cls.env, cls.unit, hazards="Loose door interlock")
        cls.record.action_sign("Zhang Wei", cls.signature)

    def _html(self, lang):
        self.customer.lang = lang
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
