"""Sequential scans of large tables (issue 8, benchmark 3's index check).

    python bench_explain.py <odoo.conf> <generated database>

Runs, through the ORM, the reads behind the KPI reports and dashboard, the portal lists of the
5,000-request customer (as that portal user) and the searches of the scheduled jobs, records
every SELECT they send, and EXPLAINs each one. Prints the plans that scan a table of more than
50,000 rows sequentially. A report that aggregates a whole table must read all of it (a
sequential scan is the fastest way): those are listed as such; any other is a missing index.
"""
import re
import sys
from contextlib import contextmanager
from datetime import date, timedelta

import odoo
from odoo.sql_db import Cursor

LARGE = 50000


@contextmanager
def recording():
    seen = []
    original = Cursor.execute

    def execute(self, query, params=None, log_exceptions=None):
        if query.lstrip().upper().startswith("SELECT"):
            seen.append((query, params))
        return original(self, query, params, log_exceptions)

    Cursor.execute = execute
    try:
        yield seen
    finally:
        Cursor.execute = original


def scenarios(env):
    """(label, function) pairs: each function does what one screen or job reads."""
    today = date.today()
    portal = env["res.users"].search([("login", "=", "bench_big")])
    partner = portal.partner_id.commercial_partner_id
    as_portal = env(user=portal.id)
    ticket_domain = [("partner_id", "child_of", [partner.id])]
    order_domain = [("message_partner_ids", "child_of", [partner.id]),
                    ("state", "in", ["sale", "done"])]

    def pivot(model, measures, row, col):
        return lambda: [env[model].read_group([], measures + g, g, lazy=False)
                        for g in ([], [row], [col], [row, col])]

    def portal_list(model, domain, order):
        Model = as_portal[model]
        return lambda: (Model.search_count(domain),
                        Model.search(domain, order=order, limit=20, offset=1980).read(["name"]))

    def dashboard():
        Dashboard = env["aftersales.kpi.dashboard"]
        wizard = Dashboard.new(Dashboard.default_get(["date_from", "date_to", "company_id"]))
        return wizard._kpi_values(by_month=True), wizard._complaints_by_category()

    limit = (today + timedelta(days=30)).isoformat()
    return [
        ("KPI pivot: service requests", pivot(
            "aftersales.ticket.report", ["nbr", "complaint_count"], "month", "category_id")),
        ("KPI pivot: return visits", pivot(
            "aftersales.visit.report", ["due_count", "done_count"], "month", "rule_type")),
        ("KPI pivot: handover training", pivot(
            "aftersales.training.report", ["nbr", "passed_count"], "month", "product_id")),
        ("KPI dashboard (this year)", dashboard),
        ("portal: /my/tickets page 100", portal_list(
            "aftersales.ticket", ticket_domain, "date_reported desc, id desc")),
        ("portal: /my/units", portal_list(
            "aftersales.archive", ticket_domain, "delivery_date desc, id desc")),
        ("portal: /my/orders page 100 (Odoo)", portal_list(
            "sale.order", order_domain, "date_order desc")),
        ("portal: /my/visits", portal_list(
            "aftersales.visit", ticket_domain + [("state", "!=", "cancel")],
            "state desc, deadline desc")),
        ("portal: /my/warranties", portal_list(
            "aftersales.warranty", ticket_domain + [("state", "!=", "cancel")],
            "archive_id, date_start")),
        ("job: warranty states", lambda: (
            env["aftersales.warranty"].search([("state", "=", "active"),
                                               ("date_end", "<", today.isoformat())]),
            env["aftersales.warranty"].search([("state", "=", "expired"),
                                               ("date_end", ">=", today.isoformat())]))),
        ("job: warranty reminders", lambda: env["aftersales.warranty"].search([
            ("state", "=", "active"), ("reminder_date", "=", False), ("date_end", "<=", limit)])),
        ("job: overdue core returns", lambda: env["aftersales.core.return"].search([
            ("is_overdue", "=", True), ("overdue_activity_scheduled", "=", False)])),
        ("job: new units to visit", lambda: env["aftersales.visit.rule"].search([
            ("rule_type", "=", "new_unit")])[:1]._target_units(today)),
    ]


def main():
    conf, db = sys.argv[1:3]
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    with odoo.api.Environment.manage(), odoo.registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cr.fetchall())
        findings = 0
        for label, func in scenarios(env):
            env.cache.invalidate()
            with recording() as seen:
                func()
            scans = []
            for query, params in seen:
                cr.execute("EXPLAIN " + query, params)
                plan = "\n".join(row[0] for row in cr.fetchall())
                for table in re.findall(r"Seq Scan on (\w+)", plan):
                    if sizes.get(table, 0) > LARGE:
                        scans.append((table, " ".join(query.split())[:160]))
            print("%-38s %3d queries, %s" % (
                label, len(seen), "sequential scans of large tables: %s" % ", ".join(
                    sorted({t for t, _q in scans})) if scans else "no sequential scan of a "
                "large table"))
            for table, query in scans:
                print("      %s: %s" % (table, query))
            findings += len(scans)
        cr.rollback()


if __name__ == "__main__":
    main()
