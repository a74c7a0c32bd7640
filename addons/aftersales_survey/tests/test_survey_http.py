import json
import re

import odoo.tests
from odoo import SUPERUSER_ID, api
from odoo.addons.aftersales_base.tests.common import NO_MAIL, AftersalesHttpCase


@odoo.tests.common.at_install(False)
@odoo.tests.common.post_install(True)
class TestSurveyHttp(AftersalesHttpCase):
    """R: V8 - customers answer their visit survey through the public link, and see their own
    visits only on /my/visits."""

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
        self.assertEqual(result.status_code, 200)
        self.assertIn("redirect", json.loads(result.text))
        self.env["aftersales.visit"].invalidate_cache()

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
