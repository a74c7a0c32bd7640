"""Benchmark 1 (issue 8): validating a delivery of N serial-numbered units, with the four
after-sales addons installed (a warranty policy on the product's category, so that each unit
gets its archive and its standard warranty contract) vs the same delivery on a database with
the same Odoo apps but without our addons. Target: time ratio <= 1.5, queries per unit
constant over N.

Run through `make bench` (bin/bench), which prepares the two databases:
    python bench_delivery.py <odoo.conf> <db_with_addons> <db_without> [N ...]
Prints one line per (database, N): seconds, queries, queries per unit; then the ratios.
Every figure is measured in the same run; each cell is the median of 3 rounds (BENCH_ROUNDS), alternating
the databases so that machine noise hits both alike. Nothing is committed.
"""
import os
import statistics
import sys
import time

import odoo

# Rounds per size (median); BENCH_ROUNDS=1 for 1,000 units, whose set-up (1,000 serials in stock,
# reserved one by one) takes minutes a round on this machine.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))


def deliver(env, n, tracked, tag):
    category = env["product.category"].create({"name": "Bench machines %s" % tag})
    product = env["product.product"].create(dict(
        {"name": "Bench machine %s" % tag, "type": "product", "tracking": "serial",
         "categ_id": category.id},
        **({"aftersales_tracked": True} if tracked else {})))
    if tracked and "aftersales.warranty.policy" in env:
        # as configured in production: every unit gets its standard warranty contract
        env["aftersales.warranty.policy"].create({
            "name": "Bench %s" % tag, "categ_id": category.id})
    stock = env.ref("stock.stock_location_stock")
    Lot = env["stock.production.lot"]
    Quant = env["stock.quant"]
    for i in range(n):
        lot = Lot.create({"name": "B-%s-%05d" % (tag, i), "product_id": product.id})
        Quant._update_available_quantity(product, stock, 1.0, lot_id=lot)
    partner = env["res.partner"].create({"name": "Bench customer %s" % tag})
    order = env["sale.order"].create({
        "partner_id": partner.id,
        "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": n, "price_unit": 1})]})
    order.action_confirm()
    picking = order.picking_ids
    picking.action_assign()
    for line in picking.move_line_ids:
        line.qty_done = 1.0
    env.cache.invalidate()
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    picking.action_done()
    elapsed = time.perf_counter() - start
    return elapsed, cr.sql_log_count - queries


def measure(db, n, tracked, round_no):
    registry = odoo.registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        try:
            return deliver(env, n, tracked, "%s-%s-%s" % (db[-6:], n, round_no))
        finally:
            cr.rollback()


def main():
    conf, db_with, db_without = sys.argv[1:4]
    sizes = [int(x) for x in sys.argv[4:]] or [10, 100, 1000]
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    rows = {}
    with odoo.api.Environment.manage():
        for n in sizes:
            samples = {db_with: [], db_without: []}
            for round_no in range(ROUNDS):
                for db in (db_without, db_with):
                    samples[db].append(measure(db, n, db == db_with, round_no))
                    print("  round %d %-28s N=%-5d %8.3f s %8d queries" % (
                        round_no + 1, db, n, samples[db][-1][0], samples[db][-1][1]), flush=True)
            for db, values in samples.items():
                seconds = statistics.median(v[0] for v in values)
                queries = statistics.median(v[1] for v in values)
                rows[(db, n)] = (seconds, queries)
                print("%-28s N=%-5d %8.3f s %8d queries %7.1f queries/unit"
                      % (db, n, seconds, queries, queries / n))
    print()
    for n in sizes:
        with_s, with_q = rows[(db_with, n)]
        without_s, without_q = rows[(db_without, n)]
        ratio = with_s / without_s
        print("N=%-5d time ratio with/without addons: %.2f (target <= 1.5) %s   extra queries "
              "per unit: %.1f" % (n, ratio, "PASS" if ratio <= 1.5 else "MISS",
                                  (with_q - without_q) / n))


if __name__ == "__main__":
    main()
