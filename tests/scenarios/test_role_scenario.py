"""One service case from the customer's report to the KPIs, over JSON-RPC on this run's server,
each step played by the role that owns it (issue 13, "Every role completes its own flow"):

portal customer reports (portal form) -> hotline triages and dispatches (dispatch wizard) ->
engineer arrives and fills the service record -> customer signs (portal signing route) ->
engineer opens a repair above the threshold -> manager then general manager approve it (tier
validation) -> engineer confirms and starts it, asks for the part -> parts clerk issues it
(validates the transfer) -> engineer ends the repair -> manager plans the return visit ->
customer answers it (survey link) -> manager reads the KPIs.

Never as admin, never with sudo(): the test's superuser environment only builds the master data
(customer, unit, warranty, part in stock) and reads results back. R: S1-S5, S9, S11, P1, V8,
K2, K3, K5, K8.
"""
import re
from datetime import datetime, timedelta

from odoo import fields

from rpc_case import RpcCase, signature_png

PART_COST = 1500.0  # above the default threshold of 1000 (R: S11)


class TestRoleScenario(RpcCase):

    def setUp(self):
        super().setUp()
        env = self.env
        self.customer = env["res.partner"].create({
            "name": "Scenario Mould Works", "is_company": True, "street": "8 Mould Road",
            "city": "Kunshan"})
        self.contact = env["res.partner"].create({
            "name": "Li Na", "parent_id": self.customer.id, "email": "li.na@example.com",
            "phone": "+86 512 5555 0000"})
        self.users = self._make_role_users("play", self.contact)
        self.archive = self._make_unit("Scenario Machining Center", "SCN-0001", self.customer,
                                       self.contact, "8 Mould Road, Kunshan")
        if not self.archive.warranty_ids:
            env["aftersales.warranty"].create({
                "archive_id": self.archive.id,
                "date_start": fields.Date.to_string(datetime.now() - timedelta(days=90)),
                "date_end": fields.Date.to_string(datetime.now() + timedelta(days=640))})
        self.part = env["product.product"].create({
            "name": "Scenario Spindle Motor", "type": "product", "aftersales_spare_part": True,
            "standard_price": PART_COST, "list_price": 2400.0})
        warehouse = env.ref("aftersales_parts.stock_warehouse_parts")
        env["stock.quant"]._update_available_quantity(self.part, warehouse.lot_stock_id, 3.0)
        self.survey = env.ref("aftersales_survey.survey_usage_feedback")
        self.commit()

    # Helpers ----------------------------------------------------------------------------------

    def do(self, role, model, method, args, kwargs=None):
        """`role` calls `method` over JSON-RPC; the step must be accepted."""
        answer = self.call(role, self.users[role], model, method, args, kwargs)
        return self.ok(answer, "%s: %s.%s" % (role, model, method))

    def read(self, record, *names):
        record.invalidate_cache()
        return record.read(list(names))[0]

    def approve(self, model, record, requester, approvers):
        """Tier validation (R: S11): the requester asks, each approver approves his level."""
        record.invalidate_cache()
        if not record.review_ids:
            self.do(requester, model, "request_validation", [record.ids])
        for role in approvers:
            self.do(role, model, "validate_tier", [record.ids])
        record.invalidate_cache()
        self.assertTrue(record.validated, record.review_ids.read(["status", "done_by"]))
        self.assertEqual(
            [review.done_by for review in record.review_ids.sorted(
                lambda r: (r.definition_id.sequence, r.sequence, r.id))],
            [self.users[role] for role in approvers])

    # The case ---------------------------------------------------------------------------------

    def test_a_case_from_report_to_kpis(self):
        env = self.env
        users = self.users
        portal = self._session(users["portal"])

        # 1. The customer reports on the portal (R: S1, S9)
        page = portal.get(self._url("/my/tickets/new"), timeout=120)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        posted = portal.post(self._url("/my/tickets/new"), data={
            "csrf_token": csrf, "archive_id": str(self.archive.id),
            "description": "Spindle overheats after 20 minutes."}, timeout=120)
        self.assertEqual(posted.status_code, 200)
        env.clear()
        ticket = env["aftersales.ticket"].search([("archive_id", "=", self.archive.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual((ticket.state, ticket.channel), ("new", "portal"))

        # 2. The hotline triages and dispatches (R: S2-S4)
        self.do("hotline", "aftersales.ticket", "action_triage", [ticket.ids])
        appointment = fields.Datetime.to_string(datetime.now() + timedelta(days=1))
        context = {"active_id": ticket.id, "active_ids": ticket.ids,
                   "active_model": "aftersales.ticket"}
        wizard = self.do("hotline", "aftersales.ticket.dispatch", "create", [{
            "ticket_id": ticket.id, "engineer_id": users["engineer"].id,
            "appointment_date": appointment, "site_address": "8 Mould Road, Kunshan",
            "contact_id": self.contact.id, "contact_phone": "+86 512 5555 0000"}],
            {"context": context})
        self.do("hotline", "aftersales.ticket.dispatch", "action_confirm", [[wizard]],
                {"context": context})
        values = self.read(ticket, "state", "engineer_id", "is_answered", "answer_on_time")
        self.assertEqual(values["state"], "dispatched")
        self.assertEqual(values["engineer_id"][0], users["engineer"].id)
        self.assertTrue(values["answer_on_time"])

        # 3. The engineer arrives and fills the service record (R: S4-S7)
        self.do("engineer", "aftersales.ticket", "action_arrive", [ticket.ids])
        self.assertEqual(self.read(ticket, "state", "arrival_on_time")["arrival_on_time"], True)
        record_id = self.do("engineer", "aftersales.service.record", "create", [{
            "ticket_id": ticket.id, "archive_id": self.archive.id,
            "partner_id": self.customer.id, "contact_id": self.contact.id,
            "engineer_id": users["engineer"].id,
            "work_done": "Cleaned the spindle cooling circuit; the motor must be replaced.",
            "test_result": "passed", "hazards": "None found.",
            "change_ids": [(0, 0, {"change_type": "part_replacement",
                                   "name": "Spindle motor (by repair)"})]}])
        self.do("engineer", "aftersales.service.record", "action_arrive", [[record_id]])
        self.do("engineer", "aftersales.service.record", "action_request_signature",
                [[record_id]])
        record = env["aftersales.service.record"].browse(record_id)
        self.assertEqual(record.state, "to_sign")

        # 4. The customer signs on the portal (R: S5, A7)
        signed = self._post(portal, "/my/service_records/%s/accept" % record_id, {
            "partner_name": "Li Na", "signature": signature_png()})
        self.assertIn("success", signed.get("result", {}), signed)
        values = self.read(record, "state", "signer_name")
        self.assertEqual((values["state"], values["signer_name"]), ("signed", "Li Na"))
        self.assertEqual(self.read(ticket, "state")["state"], "done")

        # 5. The engineer opens the repair: a part above the threshold (R: S11)
        action = self.do("engineer", "aftersales.ticket", "action_create_repair", [ticket.ids])
        repair = env["mrp.repair"].browse(action["res_id"])
        customer_location = env.ref("stock.stock_location_customers")
        self.do("engineer", "mrp.repair", "write", [repair.ids, {"operations": [(0, 0, {
            "name": "Spindle motor", "type": "add", "product_id": self.part.id,
            "product_uom": self.part.uom_id.id, "product_uom_qty": 1.0, "price_unit": 2400.0,
            "location_id": customer_location.id,
            "location_dest_id": env.ref("stock.location_production").id})]}])
        repair.invalidate_cache()
        self.assertGreater(repair.internal_cost, repair.company_id.aftersales_approval_threshold)

        # 6. The manager, then the general manager, approve it (R: S11)
        self.approve("mrp.repair", repair, "engineer", ("manager", "general_manager"))
        self.do("engineer", "mrp.repair", "action_repair_confirm", [repair.ids])
        self.do("engineer", "mrp.repair", "action_repair_start", [repair.ids])
        self.assertEqual(self.read(repair, "state")["state"], "under_repair")

        # 7. The engineer asks for the part; the manager approves; the parts clerk issues it
        #    (R: P1)
        request_id = self.do("engineer", "aftersales.parts.request", "create", [{
            "repair_id": repair.id, "ticket_id": ticket.id, "archive_id": self.archive.id,
            "partner_id": self.customer.id, "partner_shipping_id": self.contact.id,
            "engineer_id": users["engineer"].id,
            "line_ids": [(0, 0, {"product_id": self.part.id, "product_uom_id":
                                 self.part.uom_id.id, "quantity": 1.0,
                                 "destination": "engineer"})]}])
        parts = env["aftersales.parts.request"].browse(request_id)
        self.do("engineer", "aftersales.parts.request", "action_submit", [parts.ids])
        self.approve("aftersales.parts.request", parts, "engineer", ("manager",))
        parts.invalidate_cache()
        if not parts.picking_ids:
            self.do("parts_clerk", "aftersales.parts.request", "action_supply", [parts.ids])
            parts.invalidate_cache()
        picking = parts.picking_ids
        self.assertEqual(len(picking), 1)
        clerk = "parts_clerk"
        self.do(clerk, "stock.picking", "action_assign", [picking.ids])
        for line in picking.move_line_ids:
            self.do(clerk, "stock.move.line", "write", [line.ids, {
                "qty_done": line.product_uom_qty}])
        self.do(clerk, "stock.picking", "button_validate", [picking.ids])
        self.assertEqual(self.read(picking, "state")["state"], "done")
        self.assertEqual(self.read(parts, "state")["state"], "done")

        # 8. The engineer ends the repair (issue 13: no AccessError on stock.move)
        self.do("engineer", "mrp.repair", "action_repair_end", [repair.ids])
        self.assertIn(self.read(repair, "state")["state"], ("done", "2binvoiced"))

        # 9. The manager plans the return visit; the customer answers it (R: V8, K1, K2)
        visit_id = self.do("manager", "aftersales.visit", "create", [{
            "partner_id": self.customer.id, "contact_id": self.contact.id,
            "archive_id": self.archive.id, "survey_id": self.survey.id, "channel": "portal",
            "planned_date": fields.Date.context_today(env.user),
            "deadline": fields.Date.to_string(datetime.now() + timedelta(days=10))}])
        visit = env["aftersales.visit"].browse(visit_id)
        self._answer_survey(portal, visit, 5)
        values = self.read(visit, "state", "score_service")
        self.assertEqual((values["state"], values["score_service"]), ("done", 5))

        # 10. The manager reads the KPIs (R: K2, K3, K5, K8)
        # from today to the visit's deadline, by which the visit analysis dates it (K2)
        today = fields.Date.context_today(env.user)
        dashboard = self.do("manager", "aftersales.kpi.dashboard", "create", [{
            "date_from": today, "date_to": self.read(visit, "deadline")["deadline"]}])
        kpis = self.do("manager", "aftersales.kpi.dashboard", "read", [
            [dashboard], ["k2_actual", "k3_actual", "k5_actual", "k8_actual"]])[0]
        self.assertEqual(kpis["k8_actual"], 1, kpis)
        self.assertEqual(kpis["k3_actual"], 100.0, kpis)
        self.assertEqual(kpis["k5_actual"], 100.0, kpis)
        self.assertGreater(kpis["k2_actual"], 0.0, kpis)

    def _answer_survey(self, session, visit, score):
        """The customer answers the visit's survey through its link (R: V8)."""
        visit.invalidate_cache()
        token = visit.user_input_id.token
        self.assertTrue(token, "the visit has no survey answer to fill in")
        survey = self.survey
        start = session.get(self._url("/survey/start/%s/%s" % (survey.id, token)), timeout=120)
        self.assertEqual(start.status_code, 200)
        page = session.get(self._url("/survey/fill/%s/%s" % (survey.id, token)), timeout=120)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        survey_page = survey.page_ids[0]
        data = {"csrf_token": csrf, "page_id": survey_page.id, "token": token,
                "button_submit": "finish"}
        for question in survey_page.question_ids:
            tag = "%s_%s_%s" % (survey.id, survey_page.id, question.id)
            if question.type == "free_text":
                data[tag] = "Fast and clean work."
            else:
                data[tag] = question.labels_ids.filtered(lambda l: l.quizz_mark == score).id
        result = session.post(self._url("/survey/submit/%s" % survey.id), data=data,
                              timeout=120)
        self.assertEqual(result.status_code, 200)
        self.assertIn("redirect", result.json())
        self.env.clear()
