import json
import re

import odoo.tests
from odoo import SUPERUSER_ID, api
from odoo.addons.aftersales_base.tests.common import NO_MAIL, AftersalesHttpCase


@odoo.tests.common.at_install(False)
@odoo.tests.common.post_install(True)
class SurveyHttpCase(AftersalesHttpCase):
    """Two customers with a portal user and a visit with a survey each."""

    def setUp(self):
        super().setUp()
        # Odoo 11's server answers on the registry's test cursor, not on self.cr: build the
        # data on that cursor so the requests see it (everything is rolled back at the end).
        original = (self.cr, self.env)

        def restore():
            self.cr, self.env = original
        self.addCleanup(restore)
        self.cr = self.registry.test_cr
        self.env = api.Environment(self.cr, SUPERUSER_ID, dict(NO_MAIL))
        self.survey = self.env.ref("aftersales_survey.survey_usage_feedback")
        self.acme, self.acme_user = self._customer("Acme Machining Ltd.", "acme_portal")
        self.other, self.other_user = self._customer("Other Mould Works", "other_portal")
        self.acme_visit = self._visit(self.acme)
        self.other_visit = self._visit(self.other)

    def _customer(self, name, login):
        company = self.env["res.partner"].create({"name": name, "is_company": True})
        contact = self.env["res.partner"].create({
            "name": "%s contact" % name, "parent_id": company.id,
            "email": "%s@example.com" % login})
        user = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": contact.name, "login": login, "password": login,
            "partner_id": contact.id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        return company, user

    def _visit(self, partner):
        return self.env["aftersales.visit"].create({
            "partner_id": partner.id, "contact_id": partner.child_ids[:1].id,
            "survey_id": self.survey.id, "channel": "portal",
            "planned_date": "2026-03-02", "deadline": "2026-03-12"})

    def _answer_survey(self, visit, score):
        token = visit.user_input_id.token
        start = self.url_open("/survey/start/%s/%s" % (self.survey.id, token))
        self.assertEqual(start.status_code, 200)
        page = self.url_open("/survey/fill/%s/%s" % (self.survey.id, token))
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        result = self._submit_answers(visit, score, csrf)
        self.assertEqual(result.status_code, 200)
        self.assertIn("redirect", json.loads(result.text))
        self.env["aftersales.visit"].invalidate_cache()
        return csrf

    def _submit_answers(self, visit, score, csrf):
        """Post the survey's page with every question answered `score` (the free text too)."""
        token = visit.user_input_id.token
        survey_page = self.survey.page_ids[0]
        data = {"csrf_token": csrf, "page_id": survey_page.id, "token": token,
                "button_submit": "finish"}
        for question in survey_page.question_ids:
            tag = "%s_%s_%s" % (self.survey.id, survey_page.id, question.id)
            if question.type == "free_text":
                data[tag] = "Please add a chip conveyor option."
            else:
                data[tag] = question.labels_ids.filtered(lambda l: l.quizz_mark == score).id
        result = self.url_open("/survey/submit/%s" % self.survey.id, data=data)
        self.env["aftersales.visit"].invalidate_cache()
        return result



@odoo.tests.common.at_install(False)
@odoo.tests.common.post_install(True)
class TestSurveyHttp(SurveyHttpCase):
    """R: V8 - customers answer their visit survey through the public link, and see their own
    visits only on /my/visits."""

    def test_survey_answered_over_http_lands_on_visit(self):
        self._answer_survey(self.acme_visit, 5)
        visit = self.acme_visit
        self.assertEqual(visit.user_input_id.state, "done")
        self.assertEqual(visit.state, "done")
        self.assertEqual((visit.score_structure, visit.score_service, visit.score_average),
                         (5, 5, 5.0))
        self.assertEqual(visit.suggestions, "Please add a chip conveyor option.")
        self.assertTrue(visit.done_date)
        self.assertFalse(visit.ticket_id)
        self.assertEqual(self.other_visit.state, "planned")

    def test_dissatisfied_answer_over_http_opens_request(self):
        self._answer_survey(self.acme_visit, 1)
        self.assertEqual(self.acme_visit.ticket_id.channel, "visit")
        self.assertEqual(self.acme_visit.ticket_id.partner_id, self.acme)

    def test_portal_lists_own_visits_only(self):
        self.authenticate("acme_portal", "acme_portal")
        page = self.url_open("/my/visits")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.acme_visit.name, page.text)
        self.assertIn(self.acme_visit.user_input_id.token, page.text)
        self.assertNotIn(self.other_visit.name, page.text)
        self.assertNotIn(self.other_visit.user_input_id.token, page.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/visits", home.text)
        self.authenticate("other_portal", "other_portal")
        page = self.url_open("/my/visits")
        self.assertIn(self.other_visit.name, page.text)
        self.assertNotIn(self.acme_visit.name, page.text)

    def test_portal_user_cannot_read_other_customer_visit(self):
        visits = self.env["aftersales.visit"].sudo(self.acme_user).search([])
        self.assertEqual(visits, self.acme_visit)

    def test_my_visits_needs_login(self):
        page = self.url_open("/my/visits")
        self.assertIn("/web/login", page.url)


@odoo.tests.common.at_install(False)
@odoo.tests.common.post_install(True)
class TestSurveyAnswersOverRpc(SurveyHttpCase):
    """Issue 14, item 1: a visit's answers are given on the pages of its survey link (its token
    is the customer's) and nowhere else: over JSON-RPC, on Odoo's open survey models, a customer
    neither reads nor writes another's answers, nor his own around the survey pages. Every
    refusal leaves the answers as they were."""

    def _rpc(self, model, method, *args, **kwargs):
        response = self.opener.post(self._url("/web/dataset/call_kw"), json={
            "jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": list(args), "kwargs": kwargs}},
            timeout=60)
        self.env.clear()
        return response.json()

    def assertRefused(self, answer):
        self.assertIn("error", answer, answer)
        self.assertIn(answer["error"]["data"]["name"],
                      ("odoo.exceptions.AccessError", "odoo.exceptions.UserError"))

    def _line_vals(self, visit, score=1):
        page = self.survey.page_ids[0]
        question = page.question_ids.filtered(lambda q: q.type == "simple_choice")[:1]
        label = question.labels_ids.filtered(lambda l: l.quizz_mark == score)
        return {"user_input_id": visit.user_input_id.id, "survey_id": self.survey.id,
                "question_id": question.id, "page_id": page.id, "answer_type": "suggestion",
                "value_suggested": label.id, "skipped": False}

    def _answer_state(self, visit):
        return (visit.state, visit.user_input_id.state, visit.user_input_id.token,
                len(visit.user_input_id.user_input_line_ids), visit.score_structure)

    def test_customer_cannot_add_answers_to_other_customers_survey(self):
        before = self._answer_state(self.other_visit)
        self.authenticate("acme_portal", "acme_portal")
        self.assertRefused(self._rpc("survey.user_input_line", "create",
                                     self._line_vals(self.other_visit)))
        self.assertEqual(self._answer_state(self.other_visit), before)

    def test_customer_cannot_finish_other_customers_survey(self):
        before = self._answer_state(self.other_visit)
        self.authenticate("acme_portal", "acme_portal")
        self.assertRefused(self._rpc("survey.user_input", "write",
                                     self.other_visit.user_input_id.ids, {"state": "done"}))
        self.assertEqual(self._answer_state(self.other_visit), before)
        self.assertFalse(self.other_visit.ticket_id)

    def test_customer_reads_no_other_customers_answers_or_token(self):
        self._answer_survey(self.other_visit, 1)
        self.authenticate("acme_portal", "acme_portal")
        lines = self._rpc("survey.user_input_line", "search_read", [], ["user_input_id"])
        self.assertEqual(lines["result"], [])
        inputs = self._rpc("survey.user_input", "search_read", [], ["token"])
        self.assertEqual([r["token"] for r in inputs["result"]],
                         [self.acme_visit.user_input_id.token])
        self.assertRefused(self._rpc("survey.user_input", "read",
                                     self.other_visit.user_input_id.ids, ["token"]))

    def test_nobody_rewrites_a_visits_token(self):
        for visit in (self.acme_visit, self.other_visit):
            before = self._answer_state(visit)
            self.authenticate("acme_portal", "acme_portal")
            self.assertRefused(self._rpc("survey.user_input", "write",
                                         visit.user_input_id.ids, {"token": "known"}))
            self.assertEqual(self._answer_state(visit), before)

    def test_logged_in_customer_answers_own_visit_through_its_link(self):
        self.authenticate("acme_portal", "acme_portal")
        self._answer_survey(self.acme_visit, 5)
        self.assertEqual(self.acme_visit.state, "done")
        self.assertEqual(self.acme_visit.score_structure, 5)

    def test_customer_cannot_answer_own_visit_around_the_survey_pages(self):
        before = self._answer_state(self.acme_visit)
        self.authenticate("acme_portal", "acme_portal")
        self.assertRefused(self._rpc("survey.user_input_line", "create",
                                     self._line_vals(self.acme_visit, score=5)))
        self.assertRefused(self._rpc("survey.user_input", "write",
                                     self.acme_visit.user_input_id.ids, {"state": "done"}))
        self.assertEqual(self._answer_state(self.acme_visit), before)

    def test_submitted_answers_no_longer_change(self):
        csrf = self._answer_survey(self.acme_visit, 5)
        line = self.acme_visit.user_input_id.user_input_line_ids[:1]
        before = (line.value_suggested, self._answer_state(self.acme_visit))
        self.authenticate("acme_portal", "acme_portal")
        self.assertRefused(self._rpc("survey.user_input_line", "unlink", line.ids))
        self.assertEqual((line.value_suggested, self._answer_state(self.acme_visit)), before)
        # not even through the link: a second submission is refused
        again = self._submit_answers(self.acme_visit, 1, csrf)
        self.assertNotEqual(again.status_code, 200)
        self.assertEqual((line.value_suggested, self._answer_state(self.acme_visit)), before)
