"""Benchmark 2 (issue 8): the coverage decision for a unit with 50 past service requests.

    python bench_coverage.py <odoo.conf> <db_with_addons>

The decision is what the hotline's "Decide Coverage" button computes
(`aftersales.ticket._prepare_coverage_vals`). Measured from a cold cache (a new request):
  - one decision at a time, against a reference timed interleaved in the same run: reading
    the unit's contracts through the ORM from a cold cache, the least any decision must read;
  - decisions per second (`aftersales.warranty.policy._decide_coverage(unit, fault date)`)
    over the 1,000 requests of 20 units with 50 requests each, in one go from a cold cache
    (the ORM reads the contracts of all units at once, then decides in memory).
The query budget of one decision is asserted by
aftersales_warranty/tests/test_coverage_queries.py (part of `make test`). Nothing is committed.
"""
import statistics
import sys
import time

import odoo

TARGET_PER_SECOND = 1000
DECISIONS = 500


def setup(env, units=20, per_unit=50):
    """`units` units of one product with a warranty policy, `per_unit` tickets each."""
    category = env["product.category"].create({"name": "Bench coverage"})
    product = env["product.product"].create({
        "name": "Bench coverage machine", "type": "product", "tracking": "serial",
        "aftersales_tracked": True, "categ_id": category.id})
    env["aftersales.warranty.policy"].create({
        "name": "Bench coverage", "categ_id": category.id, "replacement_months": 12,
        "repair_months": 24})
    partner = env["res.partner"].create({"name": "Bench coverage customer", "is_company": True})
    tickets = env["aftersales.ticket"]
    for number in range(units):
        lot = env["stock.production.lot"].create({"name": "BCOV-%d" % number,
                                                  "product_id": product.id})
        unit = env["aftersales.archive"].create({
            "product_id": product.id, "lot_id": lot.id, "partner_id": partner.id})
        for past in range(per_unit):
            tickets |= env["aftersales.ticket"].create({
                "partner_id": partner.id, "archive_id": unit.id,
                "description": "Fault %d" % past})
    return tickets


def timed(env, n, func, cold=True):
    cr = env.cr
    func()
    queries = cr.sql_log_count
    start = time.perf_counter()
    for _ in range(n):
        if cold:
            env.cache.invalidate()
        func()
    elapsed = time.perf_counter() - start
    return elapsed / n, (cr.sql_log_count - queries) / n


def main():
    conf, db = sys.argv[1:3]
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    with odoo.api.Environment.manage(), odoo.registry(db).cursor() as cr:
        # the context of a web request carries the user's language and time zone
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {
            "tracking_disable": True, "mail_create_nolog": True, "lang": "en_US",
            "tz": "Asia/Shanghai"})
        tickets = setup(env)
        ticket = tickets[-1]
        policy = env["aftersales.warranty.policy"]
        # each request's fault date, as the decision gets it
        dates = [t._get_fault_date() for t in tickets]
        units = [t.archive_id for t in tickets]
        decision = ticket._prepare_coverage_vals()["coverage_decision"]
        subject, reference, batch = [], [], []
        for _round in range(5):
            reference.append(timed(env, DECISIONS, lambda: ticket.archive_id.warranty_ids.read(
                ["date_start", "date_end", "state"])))
            subject.append(timed(env, DECISIONS, ticket._prepare_coverage_vals))
            batch.append(timed(env, 1, lambda: [
                policy._decide_coverage(unit, date)
                for unit, date in zip(units, dates)]))
        cr.rollback()
    seconds = statistics.median(s for s, _q in subject)
    ref_seconds = statistics.median(s for s, _q in reference)
    batch_seconds = statistics.median(s for s, _q in batch) / len(tickets)
    ratio = seconds / ref_seconds
    print("one decision (%s) for a unit with 50 past requests, from a cold cache: %.3f ms, "
          "%.0f queries (%.0f per second); reference, a cold read of the unit's contracts: "
          "%.3f ms, %.0f queries; ratio %.2f (target <= 1.5) %s" % (
              decision, seconds * 1000, subject[0][1], 1 / seconds, ref_seconds * 1000,
              reference[0][1], ratio, "PASS" if ratio <= 1.5 else "MISS"))
    rate = 1 / batch_seconds
    print("decisions per second, %d requests of %d units (50 each) from a cold cache: %.0f "
          "(%.1f queries for all) (target >= %d) %s" % (
              len(units), len({u.id for u in units}), rate, batch[0][1],
              TARGET_PER_SECOND, "PASS" if rate >= TARGET_PER_SECOND else "MISS"))


if __name__ == "__main__":
    main()
