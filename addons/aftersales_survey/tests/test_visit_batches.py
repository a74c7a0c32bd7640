from unittest.mock import patch

from odoo.addons.aftersales_base import tools

from .common import VisitCase


class TestVisitPlanningBatches(VisitCase):
    """Issue 8 (R: V1, V2, V6) - the daily job takes the units in batches (a commit after each
    outside tests) and plans exactly what it plans in one go."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.aftersales_maintenance_interval = 6
        cls.units = cls.env["aftersales.archive"]
        for day in ("2025-03-10", "2025-09-10", "2026-03-02", "2026-03-10", "2026-03-11"):
            cls.units |= cls._create_unit(day)

    def _due(self, day, batch_size):
        vals = []
        for batch in self.rules._due_visit_batches(self._d(day), batch_size=batch_size):
            vals += batch
        return sorted((v["rule_id"], v["archive_id"] or 0, v["period_key"]) for v in vals)

    def test_batches_of_one_unit_plan_what_one_batch_plans(self):
        whole = self._due("2026-03-10", None)
        self.assertEqual(self._due("2026-03-10", 1), whole)
        # new units (V1), maintenance every 6 months (V2) and inspections (V6) are all there
        self.assertEqual({rule for rule, _unit, _period in whole},
                         {self.rule_new.id, self.rule_maintenance.id, self.rule_inspection.id})

    def test_new_unit_rule_reads_only_units_delivered_since_it_applies(self):
        """The units the V1 rule looks at: delivered between its start and the horizon, not
        the whole history (issue 8: 100,000 units)."""
        self.rule_new.date_start = "2026-03-01"
        units = self.rule_new._target_units(self._d("2026-03-10"))
        self.assertEqual(units.mapped("delivery_date"), ["2026-03-02", "2026-03-10"])

    def test_job_ends_each_batch_with_commit_batch(self):
        """Each batch of units ends with tools.commit_batch (which commits outside tests):
        batches of 2 units -> new units 2 (4 delivered by then), maintenance 3, inspection 3."""
        with patch.object(tools, "commit_batch", wraps=tools.commit_batch) as commit:
            planned = self.Visit._cron_plan_visits(today=self._d("2026-03-10"), batch_size=2)
        self.assertEqual(commit.call_count, 8)
        self.assertEqual(len(planned.filtered(lambda v: v.rule_id == self.rule_new)), 4)
