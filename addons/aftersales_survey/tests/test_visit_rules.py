import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import VisitCase


class TestVisitRules(VisitCase):
    """Due dates of each rule at their edges, and the daily job run twice."""

    def test_v1_new_unit_visit_due_within_10_days_inclusive(self):
        """R: V1 - delivered on 2 March: visit planned that day, deadline 12 March."""
        unit = self._create_unit("2026-03-02")
        self._plan("2026-03-02")
        visit = self._visits(self.rule_new)
        self.assertEqual(len(visit), 1)
        self.assertEqual((visit.archive_id, visit.partner_id), (unit, self.customer))
        self.assertEqual((visit.planned_date, visit.deadline), ("2026-03-02", "2026-03-12"))
        self.assertEqual(visit.survey_id, self.feedback_survey)
        self.assertTrue(visit.user_input_id.token)
        self.assertIn(visit.user_input_id.token, visit.survey_url)

    def test_v1_on_time_on_day_10_late_on_day_11(self):
        """R: V1, K1 - the 10th day counts as on time, the 11th does not."""
        self._create_unit("2026-03-02")
        self._create_unit("2026-03-02")
        self._plan("2026-03-02")
        first, second = self._visits(self.rule_new)
        first._finish(done_date="2026-03-12")
        second._finish(done_date="2026-03-13")
        self.assertTrue(first.on_time)
        self.assertFalse(second.on_time)

    def test_v1_not_before_delivery_nor_before_rule_start(self):
        """R: V1 - nothing for a unit delivered before the rule applies, or not yet delivered."""
        self._create_unit("2024-12-31")
        self._create_unit("2026-03-05")
        self._plan("2026-03-04")
        self.assertFalse(self._visits(self.rule_new))

    def test_job_twice_creates_nothing_twice(self):
        """R: V1-V7 - the job is idempotent: one visit per rule, customer, unit and period."""
        self.customer.aftersales_key_customer = True
        self._create_unit("2025-01-15")
        self._create_unit("2026-07-01")
        first = self._plan("2026-07-20")
        self.assertTrue(first)
        self.assertFalse(self._plan("2026-07-20"))
        self.assertFalse(self._plan("2026-07-21"))
        keys = self.Visit.search([]).mapped("key")
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(set(first.mapped("rule_type")),
                         {"new_unit", "key_customer", "inspection", "campaign"})

    def test_duplicate_key_refused_by_database(self):
        self._create_unit("2026-03-02")
        visit = self._plan("2026-03-02")[:1]
        vals = {"partner_id": self.customer.id, "key": visit.key,
                "planned_date": "2026-03-02", "deadline": "2026-03-02"}
        # the planning key is the planning job's (issue 13) ...
        with self.assertRaises(UserError), self.cr.savepoint():
            self.Visit.create(vals)
        # ... and even the job cannot plan a key twice
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), \
                self.cr.savepoint():
            self.Visit._create_owned(vals)

    def test_v2_maintenance_moved_into_season_and_planned_ahead(self):
        """R: V2 - every 6 months, moved to autumn; created 14 days ahead (lead days)."""
        self.product.write({"aftersales_maintenance_interval": 6,
                            "aftersales_maintenance_season": "autumn"})
        self._create_unit("2026-01-15")
        self._plan("2026-08-17")
        self.assertFalse(self._visits(self.rule_maintenance))
        self._plan("2026-08-18")
        visit = self._visits(self.rule_maintenance)
        self.assertEqual((visit.planned_date, visit.deadline), ("2026-09-01", "2026-10-01"))
        self.assertEqual(visit.period_key, "maintenance-1")

    def test_v2_without_season_and_without_interval(self):
        self.product.aftersales_maintenance_interval = 6
        self._create_unit("2026-01-15")
        other = self._create_tracked_product("Lathe Without Manual", "LWM")
        self._create_unit("2026-01-15", product=other)
        self._plan("2026-07-01")
        visit = self._visits(self.rule_maintenance)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.planned_date, "2026-07-15")

    def test_v3_key_customer_two_visits_a_year(self):
        """R: V3 - one visit per half year: Jan-Jun, then Jul-Dec."""
        self.customer.aftersales_key_customer = True
        self.env["res.partner"].create({"name": "Ordinary Customer", "is_company": True})
        self._plan("2026-06-30")
        first = self._visits(self.rule_key)
        self.assertEqual(len(first), 1)
        self.assertEqual((first.partner_id, first.planned_date, first.deadline),
                         (self.customer, "2026-01-01", "2026-06-30"))
        self._plan("2026-07-01")
        self._plan("2026-12-31")
        visits = self._visits(self.rule_key)
        self.assertEqual(len(visits), 2)
        self.assertEqual((visits[1].planned_date, visits[1].deadline),
                         ("2026-07-01", "2026-12-31"))

    def test_v4_after_repair_hook_within_7_days(self):
        """R: V4 - the hook plans a visit due 7 days after the repair, once."""
        unit = self._create_unit("2026-01-10")
        visit = self.Visit._plan_after_repair(unit, "2026-05-10")
        self.assertEqual((visit.rule_id, visit.archive_id), (self.rule_repair, unit))
        self.assertEqual((visit.planned_date, visit.deadline), ("2026-05-10", "2026-05-17"))
        self.assertFalse(self.Visit._plan_after_repair(unit, "2026-05-10"))
        self.assertTrue(self.Visit._plan_after_repair(unit, "2026-08-01"))

    def test_v4_archived_rule_plans_nothing(self):
        unit = self._create_unit("2026-01-10")
        self.rule_repair.active = False
        self.assertFalse(self.Visit._plan_after_repair(unit, "2026-05-10"))

    def test_v6_inspection_every_6_months(self):
        """R: V6 - inspections 6 and 12 months after delivery, end of month kept."""
        self._create_unit("2026-01-31")
        self._plan("2026-07-16")
        self.assertFalse(self._visits(self.rule_inspection))
        self._plan("2027-01-17")
        visits = self._visits(self.rule_inspection)
        self.assertEqual(visits.mapped("planned_date"), ["2026-07-31", "2027-01-31"])
        self.assertEqual(visits[0].deadline, "2026-08-30")

    def test_v7_campaign_july_august_only(self):
        """R: V7 - one visit per customer with units, planned 1 July, due 31 August."""
        self._create_unit("2025-03-01")
        self._create_unit("2025-04-01")
        self._plan("2026-06-30")
        self.assertFalse(self._visits(self.rule_campaign))
        self._plan("2026-07-01")
        visit = self._visits(self.rule_campaign)
        self.assertEqual(len(visit), 1)
        self.assertEqual((visit.planned_date, visit.deadline, visit.channel),
                         ("2026-07-01", "2026-08-31", "portal"))
        self._plan("2026-08-31")
        self._plan("2026-09-01")
        self.assertEqual(len(self._visits(self.rule_campaign)), 1)
        self._plan("2027-07-01")
        self.assertEqual(len(self._visits(self.rule_campaign)), 2)

    def test_returned_unit_gets_no_visit(self):
        unit = self._create_unit("2026-03-02")
        unit._write_owned({"state": "returned"})  # set-up: as its return does
        self._plan("2026-03-03")
        self.assertFalse(self._visits(self.rule_new))

    def test_rule_figures_validated(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.rule_key.visits_per_year = 5
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.rule_campaign.write({"month_start": 9, "month_end": 8})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.rule_new.delay_days = -1
        self.rule_key.invalidate_cache()
        self.assertEqual(self.rule_key.visits_per_year, 2)

    def test_job_skips_while_another_run_plans(self):
        """Two runs at once (a manual run during the scheduled one): the second one plans
        nothing while the first holds the planning lock, and nothing is planned twice."""
        from odoo.addons.aftersales_survey.models.aftersales_visit import PLAN_VISITS_LOCK
        self._create_unit("2026-03-02")
        with self.registry.cursor() as other_run:
            other_run.execute("SELECT pg_try_advisory_xact_lock(%s)", (PLAN_VISITS_LOCK,))
            self.assertTrue(other_run.fetchone()[0])
            self.assertFalse(self._plan("2026-03-02"))
            other_run.rollback()
        self.assertEqual(len(self._plan("2026-03-02").filtered(
            lambda v: v.rule_id == self.rule_new)), 1)
        self.assertFalse(self._plan("2026-03-02"))
