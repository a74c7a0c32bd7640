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


def search_in_batches(model, domain, size=CRON_BATCH_SIZE):
    """Yield the records of `domain` by increasing id, `size` at a time, each batch searched on
    its own ("id > last id seen"), with a commit_batch after each.

    Unlike in_batches, the ids of all the records are never held at once: the job's memory
    stays that of one batch at 10,000 or 100,000 units. Records created by the job itself
    come after the batch they are created in only if they match `domain`.
    """
    last_id = 0
    while True:
        batch = model.search(list(domain) + [("id", ">", last_id)], order="id", limit=size)
        if not batch:
            return
        last_id = batch.ids[-1]
        yield batch
        commit_batch(model.env)
