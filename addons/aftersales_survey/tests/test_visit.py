from odoo.exceptions import AccessError, UserError, ValidationError

from .common import VisitCase


class TestVisit(VisitCase):
    """Closing a visit: scores, timeline, follow-up request, activities, survey answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._create_unit("2026-03-02")

    def _visit(self, **vals):
        values = {"partner_id": self.customer.id, "archive_id": self.unit.id,
                  "planned_date": "2026-03-02", "deadline": "2026-03-12",
                  "user_id": self.user.id}
        values.update(vals)
        return self.Visit.create(values)

    def test_satisfied_visit_done_and_filed_on_timeline(self):
        """R: V5, A5 - scores kept, average computed, the visit appears on the unit."""
        visit = self._answer(self._visit(), (5, 4, 4, 3, 5))
        self.assertEqual(visit.state, "done")
        self.assertAlmostEqual(visit.score_average, 4.2)
        self.assertFalse(visit.ticket_id)
        event = self.unit.event_ids.filtered(lambda e: e.event_type == "visit")
        self.assertEqual((event.res_model, event.res_id), ("aftersales.visit", visit.id))
        self.assertIn(visit.name, event.name)

    def test_dissatisfied_visit_opens_follow_up_request(self):
        """R: V5, V8 - a score of 2 or less opens a complaint request, channel visit."""
        visit = self._answer(self._visit(), (4, 2, 4, 4, 4),
                             suggestions="Paint peels off the guards.", user=self.engineer)
        ticket = visit.ticket_id
        self.assertTrue(ticket)
        self.assertEqual((ticket.channel, ticket.partner_id, ticket.archive_id),
                         ("visit", self.customer, self.unit))
        self.assertTrue(ticket.is_complaint)
        self.assertIn("Appearance Quality", ticket.description)
        self.assertIn("Paint peels off", ticket.description)

    def test_dissatisfaction_threshold_is_configurable(self):
        self.env.user.company_id.aftersales_dissatisfied_score = 3
        visit = self._answer(self._visit(), (4, 3, 4, 4, 4))
        self.assertTrue(visit.ticket_id)

    def test_scores_out_of_range_refused(self):
        visit = self._visit()
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._answer(visit, (5, 5, 5, 6, 5))
        visit.invalidate_cache()
        self.assertEqual((visit.score_price, visit.state), (0, "planned"))

    def test_deadline_before_planned_date_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._visit(deadline="2026-03-01")

    def test_done_twice_or_cancelled_refused(self):
        visit = self._visit()
        visit.action_done()
        with self.assertRaises(UserError):
            visit.action_done()
        with self.assertRaises(UserError):
            visit.action_cancel()
        with self.assertRaises(UserError):
            visit.unlink()
        self.assertEqual(visit.state, "done")

    def test_visitor_gets_activity_closed_when_done(self):
        visit = self._visit()
        activity = visit.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline), (self.user, "2026-03-12"))
        visit.action_done()
        self.assertFalse(visit.activity_ids)

    def test_job_assigns_rule_visitor(self):
        self.rule_new.user_id = self.manager
        visit = self._plan("2026-03-02").filtered(lambda v: v.rule_id == self.rule_new)
        self.assertEqual(visit.user_id, self.manager)
        self.assertEqual(visit.activity_ids.user_id, self.manager)

    def test_plain_employee_cannot_read_visits(self):
        visit = self._visit()
        with self.assertRaises(AccessError):
            visit.sudo(self.employee).read(["name"])

    def test_completed_survey_fills_scores(self):
        """R: V5 - answering the survey gives the visit its scores, suggestions and done date."""
        visit = self._visit(survey_id=self.feedback_survey.id)
        answer = visit.user_input_id
        lines = self.env["survey.user_input_line"]
        for question in self.feedback_survey.page_ids.mapped("question_ids"):
            vals = {"user_input_id": answer.id, "question_id": question.id,
                    "survey_id": self.feedback_survey.id}
            if question.type == "free_text":
                vals.update(answer_type="free_text", value_free_text="More coolant nozzles.")
            else:
                label = question.labels_ids.filtered(lambda l: l.quizz_mark == 4)
                vals.update(answer_type="suggestion", value_suggested=label.id)
            lines.create(vals)
        answer.write({"state": "skip"})
        self.assertEqual(visit.state, "planned")
        answer.write({"state": "done"})
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.done_date)
        self.assertEqual(visit.score_average, 4.0)
        self.assertEqual(visit.suggestions, "More coolant nozzles.")

    def test_staff_open_visits_with_their_answers(self):
        """Issue 14, item 5 (R: V5): the hotline, the engineer and the after-sales manager open
        a visit that has a survey, and its answers (created by the visit, not by them)."""
        visit = self._visit(survey_id=self.feedback_survey.id)
        manager = self._create_user("visit_manager", "aftersales_base.group_aftersales_manager")
        for user in (self.hotline, self.engineer, manager):
            seen = visit.sudo(user)
            self.assertEqual(seen.read(["survey_state"])[0]["survey_state"], "new")
            self.assertEqual(seen.user_input_id.read(["token"])[0]["token"],
                             visit.user_input_id.token)

    def test_staff_cannot_answer_around_the_survey_link(self):
        """Issue 14, item 1 (R: V5): the visit's answers come from the pages of its link only;
        a visitor who writes the answer directly is refused, and the visit stays planned."""
        visit = self._visit(survey_id=self.feedback_survey.id)
        question = self.feedback_survey.page_ids.mapped("question_ids").filtered(
            lambda q: q.type == "simple_choice")[:1]
        with self.assertRaises(AccessError):
            self.env["survey.user_input_line"].sudo(self.hotline).create({
                "user_input_id": visit.user_input_id.id, "question_id": question.id,
                "survey_id": self.feedback_survey.id, "answer_type": "suggestion",
                "value_suggested": question.labels_ids[:1].id})
        with self.assertRaises(AccessError):
            visit.user_input_id.sudo(self.hotline).write({"state": "done"})
        self.assertEqual((visit.state, visit.user_input_id.state), ("planned", "new"))
        self.assertFalse(visit.user_input_id.user_input_line_ids)

    def test_send_survey_mail_carries_the_link(self):
        """R: V8 - the invitation e-mail holds the survey link with the answer's token."""
        visit = self._visit(survey_id=self.feedback_survey.id)
        action = visit.action_send_survey()
        template = self.env.ref("aftersales_survey.mail_template_visit_survey")
        self.assertEqual(action["context"]["default_template_id"], template.id)
        body = template.render_template(template.body_html, visit._name, visit.ids)[visit.id]
        self.assertIn(visit.user_input_id.token, body)
        without_survey = self._visit()
        with self.assertRaises(UserError):
            without_survey.action_send_survey()

    def test_changing_survey_gives_new_answer(self):
        visit = self._visit(survey_id=self.feedback_survey.id)
        yearly = self.env.ref("aftersales_survey.survey_yearly_satisfaction")
        visit.survey_id = yearly
        self.assertEqual(visit.user_input_id.survey_id, yearly)

    def test_unit_counts_its_visits(self):
        self._visit()
        self._visit(planned_date="2026-04-01", deadline="2026-04-10")
        self.unit.invalidate_cache()
        self.assertEqual((self.unit.visit_count, self.unit.training_count), (2, 0))
        action = self.unit.action_view_visits()
        self.assertEqual(self.Visit.search(action["domain"]), self.unit.visit_ids)
