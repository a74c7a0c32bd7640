from odoo.exceptions import AccessError, UserError, ValidationError

from .common import VisitCase

REFUSED = (AccessError, UserError, ValidationError)
SCORES = ("score_structure", "score_appearance", "score_delivery", "score_price",
          "score_service")


class TestTrainingGuard(VisitCase):
    """R: T1, K4 - the results of a done training are final; issue 13: state by the actions,
    each step by its role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._create_unit("2026-03-02")

    def _training(self, passed=(True, False)):
        return self.env["aftersales.training"].sudo(self.engineer).create({
            "archive_id": self.unit.id, "date": "2026-03-03", "usage_explained": True,
            "instructions_supplied": True,
            "trainee_ids": [(0, 0, {"name": "Trainee %d" % i, "passed": ok})
                            for i, ok in enumerate(passed)]})

    def _results(self, training):
        training.invalidate_cache()
        return (training.state, training.pass_rate, training.trainee_count,
                [(t.name, t.passed) for t in training.trainee_ids])

    def _assert_refused(self, training, call):
        before = self._results(training)
        with self.assertRaises(REFUSED), self.cr.savepoint():
            call()
        self.assertEqual(self._results(training), before)

    def test_t1_engineer_trains_and_closes_manager_reopens(self):
        training = self._training()
        for user in (self.user, self.hotline):
            self._assert_refused(training, lambda: training.sudo(user).action_done())
        training.sudo(self.engineer).action_done()
        self.assertEqual(training.state, "done")
        self._assert_refused(training, lambda: training.sudo(self.engineer).action_reset())
        training.sudo(self.manager).action_reset()
        self.assertEqual(training.state, "draft")
        training.trainee_ids[1].sudo(self.engineer).passed = True
        self.assertEqual(training.pass_rate, 100.0)

    def test_k4_results_of_a_done_training_are_locked(self):
        training = self._training()
        training.sudo(self.engineer).action_done()
        self.assertEqual(training.pass_rate, 50.0)
        failed = training.trainee_ids.filtered(lambda t: not t.passed)
        Trainee = self.env["aftersales.training.trainee"]
        for user in (self.engineer, self.manager):
            self._assert_refused(training, lambda: failed.sudo(user).write({"passed": True}))
            self._assert_refused(training, lambda: failed.sudo(user).write({"name": "Other"}))
            self._assert_refused(training, lambda: failed.sudo(user).unlink())
            self._assert_refused(training, lambda: Trainee.sudo(user).create(
                {"training_id": training.id, "name": "Late", "passed": True}))
            self._assert_refused(training, lambda: training.sudo(user).write(
                {"trainee_ids": [(1, failed.id, {"passed": True})]}))
            self._assert_refused(training, lambda: training.sudo(user).write(
                {"trainee_ids": [(2, failed.id)]}))
            self._assert_refused(training, lambda: training.sudo(user).write(
                {"date": "2026-01-01"}))

    def test_k4_trainees_cannot_move_into_a_done_training(self):
        done = self._training((False,))
        done.sudo(self.engineer).action_done()
        planned = self._training((True, True))
        self._assert_refused(done, lambda: planned.trainee_ids.sudo(self.engineer).write(
            {"training_id": done.id}))
        self.assertEqual(planned.trainee_count, 2)

    def test_t1_state_by_write_or_create_is_refused(self):
        training = self._training()
        for user in (self.engineer, self.manager):
            self._assert_refused(training, lambda: training.sudo(user).write({"state": "done"}))
        self.assertFalse(self.unit.event_ids.filtered(
            lambda e: e.res_model == "aftersales.training"), "nothing filed on the unit")
        count = self.env["aftersales.training"].search_count([])
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env["aftersales.training"].sudo(self.manager).create(
                {"archive_id": self.unit.id, "state": "done"})
        self.assertEqual(self.env["aftersales.training"].search_count([]), count)

    def test_t1_only_the_engineer_grades(self):
        training = self._training()
        trainee = training.trainee_ids[1]
        self._assert_refused(training, lambda: trainee.sudo(self.hotline).write({"passed": True}))


class TestVisitGuard(VisitCase):
    """R: V1, V5, K1, K2 - a visit's state, done date and scores change through its actions and
    the answers only (issue 13)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._create_unit("2026-03-02")

    def _visit(self, **vals):
        values = {"partner_id": self.customer.id, "archive_id": self.unit.id,
                  "planned_date": "2026-03-02", "deadline": "2026-03-12",
                  "user_id": self.hotline.id}
        values.update(vals)
        return self.Visit.sudo(self.hotline).create(values)

    def _kpi_fields(self, visit):
        visit.invalidate_cache()
        return {name: visit[name] for name in (
            "state", "done_date", "on_time", "deadline", "planned_date", "score_average",
            "is_rated", "suggestions", "ticket_id", "rule_id", "key") + SCORES}

    def _assert_refused(self, visit, call):
        before = self._kpi_fields(visit)
        with self.assertRaises(REFUSED), self.cr.savepoint():
            call()
        self.assertEqual(self._kpi_fields(visit), before)

    def test_k1_k2_state_done_date_and_scores_by_write_are_refused(self):
        planned = self._visit()
        done = self._answer(self._visit(), (4, 4, 4, 4, 4))
        self.assertEqual(done.state, "done")
        cheats = [{"state": "done"}, {"state": "done", "done_date": "2026-03-05"},
                  {"done_date": "2026-03-05"}, {"state": "cancel"}, {"state": "planned"},
                  {"suggestions": "All perfect."}, {"ticket_id": False},
                  {"key": "cheat"}, {"period_key": "cheat"}, {"user_input_id": False},
                  {"rule_id": self.rule_new.id}] + [{name: 5} for name in SCORES]
        for visit in (planned, done):
            for user in (self.hotline, self.engineer, self.manager):
                for vals in cheats:
                    self._assert_refused(visit, lambda: visit.sudo(user).write(vals))
        self.assertFalse(self.unit.event_ids.filtered(
            lambda e: e.res_model == "aftersales.visit" and e.res_id == planned.id))

    def test_k1_k2_create_done_or_rated_is_refused(self):
        count = self.Visit.search_count([])
        for vals in ({"state": "done"}, {"done_date": "2026-03-03"}, {"score_service": 5},
                     {"suggestions": "Fine."}, {"rule_id": self.rule_new.id}):
            with self.assertRaises(UserError), self.cr.savepoint():
                self._visit(**vals)
        self.assertEqual(self.Visit.search_count([]), count)

    def test_k1_done_visit_is_locked(self):
        done = self._answer(self._visit(), (5, 5, 5, 5, 5))
        for vals in ({"deadline": "2026-04-30"}, {"partner_id": self.manager.partner_id.id},
                     {"archive_id": False}, {"survey_id": self.feedback_survey.id}):
            self._assert_refused(done, lambda: done.sudo(self.manager).write(vals))

    def test_v1_k1_dates_of_a_rule_visit_are_the_rules(self):
        self._create_unit("2026-03-02")
        visit = self._plan("2026-03-02").filtered(lambda v: v.rule_id == self.rule_new)[:1]
        self.assertEqual(visit.deadline, "2026-03-12")
        for vals in ({"deadline": "2026-04-30"}, {"planned_date": "2026-03-01"}):
            self._assert_refused(visit, lambda: visit.sudo(self.manager).write(vals))
        visit.sudo(self.hotline).write({"channel": "on_site", "user_id": self.engineer.id})
        self.assertEqual(visit.channel, "on_site")
        manual = self._visit()
        manual.sudo(self.hotline).write({"deadline": "2026-03-14"})
        self.assertEqual(manual.deadline, "2026-03-14")

    def test_v5_roles_of_the_visit(self):
        visit = self._visit()
        for call in (lambda: visit.sudo(self.user).action_done(),
                     lambda: visit.sudo(self.employee).action_done(),
                     lambda: self._answer(visit, (5, 5, 5, 5, 5), user=self.user),
                     lambda: visit.sudo(self.hotline).action_cancel(),
                     lambda: visit.sudo(self.engineer).action_cancel()):
            self._assert_refused(visit, call)
        self._answer(visit, (5, 4, 5, 4, 5), user=self.engineer)
        self.assertEqual((visit.state, visit.score_average), ("done", 4.6))
        other = self._visit()
        other.sudo(self.manager).action_cancel()
        self.assertEqual(other.state, "cancel")
        self._assert_refused(other, lambda: other.sudo(self.hotline).action_reset())
        other.sudo(self.manager).action_reset()
        self.assertEqual(other.state, "planned")
        action = other.sudo(self.hotline).action_record_answers()
        self.assertEqual(action["res_model"], "aftersales.visit.answer")

    def test_v5_answers_of_a_done_visit_are_not_recorded_again(self):
        done = self._answer(self._visit(), (2, 2, 2, 2, 2))
        ticket = done.ticket_id
        self.assertTrue(ticket)
        self._assert_refused(done, lambda: self._answer(done, (5, 5, 5, 5, 5)))
        self.assertEqual(done.ticket_id, ticket)

    def test_visit_rules_stay_editable_by_managers(self):
        self.rule_new.sudo(self.manager).write({"delay_days": 7})
        self.assertEqual(self.rule_new.delay_days, 7)
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.rule_new.sudo(self.hotline).write({"delay_days": 30})
        self.assertEqual(self.rule_new.delay_days, 7)


class TestGuardDeclarations(VisitCase):
    """Every stored field and every state of the survey documents is declared once."""

    def test_declarations_are_complete(self):
        for name in ("aftersales.training", "aftersales.training.trainee", "aftersales.visit"):
            model = self.env[name]
            owned, editable, free = (set(model._guard_owned_fields),
                                     set(model._guard_editable_fields),
                                     set(model._guard_free_fields))
            self.assertFalse(owned & editable or owned & free or editable & free, name)
            stored = {fname for fname, field in model._fields.items()
                      if field.store and not field.compute
                      and not model._guard_is_infrastructure(fname)}
            self.assertEqual(stored - owned - editable - free, set(), name)
            state_field = model._fields[model._guard_state_field]
            states = {key for key, _label in state_field._description_selection(self.env)}
            opened, locked = set(model._guard_open_states), set(model._guard_locked_states)
            self.assertFalse(opened & locked, name)
            self.assertEqual(opened | locked, states, name)
            for fname in owned:
                self.assertFalse(model._fields[fname].copy, "%s.%s is copied" % (name, fname))
