"""Helpers of the scheduled jobs: go through large volumes in batches (issue 8)."""
import threading

from odoo.tools import split_every

CRON_BATCH_SIZE = 1000


def commit_batch(env):
    """End a batch of a scheduled job: commit it and empty the cache.

    The commit keeps the work done when a later batch fails and releases its locks; the empty
    cache keeps the job's memory that of one batch, however many records it goes through.
    Inside a test (Odoo's `testing` thread flag) nothing is committed: the test's transaction
    is rolled back afterwards, as Odoo's own mail queue job does.
    """
    if not getattr(threading.currentThread(), "testing", False):
        env.cr.commit()
    env.cache.invalidate()


def in_batches(records, size=CRON_BATCH_SIZE):
    """Yield `records` in slices of `size`, each prefetched on its own, with a commit_batch
    after each slice."""
    for ids in split_every(size, records.ids):
        yield records.browse(ids)
        commit_batch(records.env)
