from contextlib import contextmanager

from .common import WarrantyCase

# What one coverage decision may cost from a cold cache, in a request (whose context carries
# the user's language and time zone): the ticket, the unit, its contracts (ids, their unit,
# their fields).
# The unit's service history is never read. Reading the contracts through the unit's
# warranty_ids (not a search) lets a batch of decisions prefetch them for all units at once.
# Benchmark 2 of BENCHMARKS.md times the same call.
COVERAGE_QUERY_BUDGET = 5


class TestCoverageQueryCount(WarrantyCase):
    """R: W1-W6 (issue 8, benchmark 2) - the hotline decides coverage in a fixed, small number of
    queries, however long the unit's history of service requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fresh_unit = cls._deliver_unit("QRY-NEW", delivery_date="2026-01-15")
        cls.old_unit = cls._deliver_unit("QRY-OLD", delivery_date="2026-01-15")
        for number in range(50):
            cls._create_ticket(cls.old_unit, description="Past fault %d" % number)
        cls.fresh_ticket = cls._create_ticket(cls.fresh_unit, date_reported="2026-06-01 08:00:00")
        cls.old_ticket = cls._create_ticket(cls.old_unit, date_reported="2026-06-01 08:00:00")

    @contextmanager
    def _count_queries(self):
        """Yields a list that holds the number of queries run inside the block."""
        self.env.cache.invalidate()
        counted = []
        before = self.cr.sql_log_count
        yield counted
        counted.append(self.cr.sql_log_count - before)

    def _decide_counted(self, ticket):
        ticket = ticket.with_context(tz="Asia/Shanghai", lang="en_US")
        # once first, for the server-wide caches (translations, user context) a running server
        # has filled long before; only the record cache is emptied before counting
        ticket._prepare_coverage_vals()
        with self._count_queries() as counted:
            vals = ticket._prepare_coverage_vals()
        return vals, counted[0]

    def test_decision_within_query_budget(self):
        vals, queries = self._decide_counted(self.old_ticket)
        self.assertEqual(vals["coverage_decision"], "free_replacement")
        self.assertLessEqual(queries, COVERAGE_QUERY_BUDGET)

    def test_fifty_past_tickets_cost_no_query(self):
        _vals, fresh = self._decide_counted(self.fresh_ticket)
        _vals, old = self._decide_counted(self.old_ticket)
        self.assertEqual(len(self.old_unit.env["aftersales.ticket"].search(
            [("archive_id", "=", self.old_unit.id)])), 51)
        self.assertEqual(old, fresh)

    def test_out_of_warranty_decision_within_query_budget(self):
        """The paid path (cover ended) reads every contract's end date: still the same budget."""
        self.old_ticket._write_owned({"date_reported": "2029-06-01 08:00:00"})
        vals, queries = self._decide_counted(self.old_ticket)
        self.assertEqual(vals["coverage_decision"], "paid")
        self.assertLessEqual(queries, COVERAGE_QUERY_BUDGET)
