"""Benchmark 2 (issue 8): coverage decisions per second for one unit with 50 past tickets.

    python bench_coverage.py <odoo.conf> <db_with_addons>

The decision is what the hotline's "Decide Coverage" button computes
(`aftersales.ticket._prepare_coverage_vals`), timed from a cold cache each time (every click is
a new request). The reference, timed interleaved in the same run, is reading the same ticket's
unit and its contracts through the ORM from a cold cache (`ticket.archive_id.warranty_ids.read`),
the least any decision must do. The query budget is asserted by
aftersales_warranty/tests/test_coverage_queries.py (part of `make test`). Nothing is committed.
"""
import statistics
import sys
import time

import odoo

TARGET_PER_SECOND = 1000
DECISIONS = 2000


def setup(env):
    category = env["product.category"].create({"name": "Bench coverage"})
    product = env["product.product"].create({
        "name": "Bench coverage machine", "type": "product", "tracking": "serial",
        "aftersales_tracked": True, "categ_id": category.id})
    env["aftersales.warranty.policy"].create({
        "name": "Bench coverage", "categ_id": category.id, "replacement_months": 12,
        "repair_months": 24})
    partner = env["res.partner"].create({"name": "Bench coverage customer", "is_company": True})
    lot = env["stock.production.lot"].create({"name": "BCOV-1", "product_id": product.id})
    unit = env["aftersales.archive"].create({
        "product_id": product.id, "lot_id": lot.id, "partner_id": partner.id})
    for number in range(50):
        env["aftersales.ticket"].create({
            "partner_id": partner.id, "archive_id": unit.id, "description": "Past %d" % number})
    return env["aftersales.ticket"].create({
        "partner_id": partner.id, "archive_id": unit.id, "description": "Today's fault"})


def timed(env, n, func):
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    for _ in range(n):
        env.invalidate_all()
        func()
    elapsed = time.perf_counter() - start
    return elapsed / n, (cr.sql_log_count - queries) / n


def main():
    conf, db = sys.argv[1:3]
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    with odoo.api.Environment.manage(), odoo.registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {
            "tracking_disable": True, "mail_create_nolog": True})
        ticket = setup(env)
        decision = ticket._prepare_coverage_vals()["coverage_decision"]
        subject, reference = [], []
        for _round in range(5):
            reference.append(timed(env, DECISIONS, lambda: ticket.archive_id.warranty_ids.read(
                ["date_start", "date_end", "state"])))
            subject.append(timed(env, DECISIONS, ticket._prepare_coverage_vals))
        cr.rollback()
    seconds = statistics.median(s for s, _q in subject)
    ref_seconds = statistics.median(s for s, _q in reference)
    rate = 1 / seconds
    print("decision (%s): %.3f ms, %.1f queries; reference read of unit + contracts: %.3f ms, "
          "%.1f queries" % (decision, seconds * 1000, subject[0][1], ref_seconds * 1000,
                            reference[0][1]))
    print("decisions per second: %.0f (target >= %d): %s; ratio to the reference read: %.2f"
          % (rate, TARGET_PER_SECOND, "PASS" if rate >= TARGET_PER_SECOND else "MISS",
             seconds / ref_seconds))


if __name__ == "__main__":
    main()
