from unittest.mock import patch

from .. import tools
from .common import AftersalesCase


class TestSearchInBatches(AftersalesCase):
    """Issue 8 (benchmark 4): the scheduled jobs go through 100,000 units a batch at a time,
    without holding the ids of all of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = cls.env["aftersales.archive"]
        for _i in range(5):
            cls.units |= cls._create_unit()

    def test_batches_cover_every_record_once_in_id_order(self):
        with patch.object(tools, "commit_batch", wraps=tools.commit_batch) as commit:
            batches = list(tools.search_in_batches(
                self.env["aftersales.archive"], [("id", "in", self.units.ids)], size=2))
        self.assertEqual([len(batch) for batch in batches], [2, 2, 1])
        self.assertEqual([unit.id for batch in batches for unit in batch], sorted(self.units.ids))
        self.assertEqual(commit.call_count, 3)

    def test_records_leaving_the_domain_do_not_make_the_job_skip_others(self):
        """As the warranty job does: each batch is written out of the searched state."""
        Archive = self.env["aftersales.archive"]
        domain = [("id", "in", self.units.ids), ("state", "=", "open")]
        seen = Archive
        for batch in tools.search_in_batches(Archive, domain, size=2):
            seen |= batch
            batch._write_owned({"state": "complete"})  # as a job's owning method would
        self.assertEqual(seen, self.units)
        self.assertFalse(Archive.search(domain))

    def test_no_record_no_batch(self):
        self.assertEqual(list(tools.search_in_batches(
            self.env["aftersales.archive"], [("id", "=", 0)])), [])
