"""Benchmark data generator (issue 8): a mid-size maker's after-sales history, loaded in minutes.

    python generate.py <odoo.conf> <database> <scale>

Scale 1 is the issue's company: 100,000 delivered units (serials, archives, standard warranty
contracts, handover trainings), 1,000,000 service requests over eight years, 300,000 return
visits, 10,000 core returns, 2,000 customer companies; plus the portal side of benchmarks 5 and
6: one customer with 5,000 service requests and 5,000 confirmed sale orders (user `bench_big`),
and 30 portal customers for the load test (users `bench_portal_00` ... `bench_portal_29`,
password = login), each with as many confirmed sale orders as it has service requests.

The few configuration records (products, policy, users) go through the ORM, so they are what
a user would have set up; the volume goes in with SQL (INSERT ... SELECT over generate_series),
one statement per table. Dates are spread over the eight years before today and the data is
in the state the daily jobs leave it (states up to date, reminders sent, chases scheduled)
except for the slice that falls due today, which is what benchmark 4 measures.
Prints the time of each step and the total.
"""
import os
import subprocess
import sys
import time

import odoo
from odoo import SUPERUSER_ID

DAYS = 8 * 365


class Steps:
    def __init__(self):
        self.start = self.last = time.perf_counter()

    def __call__(self, label, cr=None, table=None):
        now = time.perf_counter()
        rows = ""
        if cr is not None and table:
            cr.execute("SELECT count(*) FROM %s" % table)  # table names are literals below
            rows = "  (%s: %d rows)" % (table, cr.fetchone()[0])
        print("%-44s %7.1f s%s" % (label, now - self.last, rows), flush=True)
        self.last = now


def orm_setup(env, scale):
    """Products, policy, rules and users: the handful of records a company configures."""
    ctx = dict(tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
               no_reset_password=True)
    env = env(context=ctx)
    company = env.user.company_id
    category = env["product.category"].create({"name": "Bench machines"})
    extension = env["product.product"].create({
        "name": "Bench extended warranty", "type": "service", "list_price": 800.0,
        "aftersales_warranty_extension": True, "aftersales_warranty_months": 12})
    products = env["product.product"]
    for i in range(5):
        products |= env["product.product"].create({
            "name": "Bench machining centre %d" % i, "type": "product", "tracking": "serial",
            "categ_id": category.id, "aftersales_tracked": True, "list_price": 100000.0,
            "aftersales_maintenance_interval": 12})
    part = env["product.product"].create({
        "name": "Bench spindle core", "type": "product", "aftersales_spare_part": True,
        "core_return_required": True, "core_return_days": 30})
    env["aftersales.warranty.policy"].create({
        "name": "Bench machines", "categ_id": category.id, "replacement_months": 12,
        "repair_months": 24, "extension_product_id": extension.id})
    categories = env["aftersales.ticket.category"].search([])
    for name in ("Spindle", "Hydraulics", "Control system", "Coolant", "Electrical"):
        categories |= env["aftersales.ticket.category"].create({"name": "Bench %s" % name})
    # the daily jobs look at today: rules apply from today, the slice due today is new work
    env["aftersales.visit.rule"].search([]).write({
        "date_start": odoo.fields.Date.context_today(env.user), "lead_days": 0})
    portal = env.ref("base.group_portal")
    users = {}
    for login in ["bench_big"] + ["bench_portal_%02d" % i for i in range(30)]:
        customer = env["res.partner"].create({"name": "Bench customer %s" % login,
                                              "is_company": True, "customer": True})
        users[login] = env["res.users"].create({
            "name": "Contact of %s" % login, "login": login, "password": login,
            "email": "%s@example.com" % login,
            "parent_id": customer.id, "groups_id": [(6, 0, [portal.id])]})
    return {"company": company, "products": products, "part": part, "users": users,
            "extension": extension}


def sql_volume(cr, setup, scale, step):
    n_units = int(100000 * scale)
    n_tickets = int(1000000 * scale)
    n_visits = int(300000 * scale)
    n_customers = max(int(2000 * scale), 40)
    n_cores = int(10000 * scale)
    big = setup["users"]["bench_big"].partner_id.commercial_partner_id
    load_customers = [u.partner_id.commercial_partner_id.id
                      for login, u in sorted(setup["users"].items()) if login != "bench_big"]
    p = {
        "company": setup["company"].id, "products": setup["products"].ids,
        "part": setup["part"].id, "n_units": n_units, "n_tickets": n_tickets,
        "n_visits": n_visits, "n_customers": n_customers, "n_cores": n_cores, "days": DAYS,
        "big": big.id, "load_customers": load_customers,
        "reminder_days": setup["company"].aftersales_warranty_reminder_days,
    }
    # Customers: companies; 30 of them are the portal customers of the load test, one the
    # customer of benchmark 5 (its 50 units are the first ones).
    cr.execute("""
        INSERT INTO res_partner (name, display_name, is_company, customer, active, type,
                                 company_id, lang, create_uid, create_date, write_uid, write_date,
                                 city, street, sale_warn, picking_warn, invoice_warn,
                                 purchase_warn)
        SELECT 'Bench company ' || g, 'Bench company ' || g, true, true, true, 'contact',
               %(company)s, 'en_US', 1, now(), 1, now(), 'Suzhou', 'Road ' || g, 'no-message',
               'no-message', 'no-message', 'no-message'
          FROM generate_series(1, %(n_customers)s - 30) g;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE name LIKE 'Bench company %%' AND commercial_partner_id IS NULL;
        CREATE TEMP TABLE bench_customer AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id FROM (
            SELECT id FROM res_partner WHERE name LIKE 'Bench company %%'
            UNION ALL SELECT unnest(%(load_customers)s::int[])) c;
    """, p)
    step("customers", cr, "res_partner")
    # Serial numbers and archives: one per unit, delivered over eight years.
    cr.execute("""
        CREATE TEMP TABLE bench_unit AS
        SELECT g AS rn,
               (%(products)s::int[])[1 + g %% 5] AS product_id,
               CASE WHEN g <= 50 THEN %(big)s ELSE c.id END AS partner_id,
               current_date - ((g * 7) %% %(days)s) AS delivery_date
          FROM generate_series(1, %(n_units)s) g
          JOIN bench_customer c ON c.rn = g %% %(n_customers)s;
        INSERT INTO stock_production_lot (name, product_id, create_uid, create_date, write_uid,
                                          write_date)
        SELECT 'BSN' || lpad(rn::text, 7, '0'), product_id, 1, now(), 1, now() FROM bench_unit;
        INSERT INTO aftersales_archive (name, active, state, company_id, product_id, lot_id,
                                        partner_id, contact_id, site_address, delivery_date,
                                        completeness_deadline, commissioning_date,
                                        acceptance_date, create_uid, create_date, write_uid,
                                        write_date)
        SELECT 'BU' || lpad(u.rn::text, 7, '0'), true,
               CASE WHEN u.delivery_date > current_date - 3 THEN 'open' ELSE 'complete' END,
               %(company)s, u.product_id, l.id, u.partner_id, u.partner_id, 'Road ' || u.rn,
               u.delivery_date, u.delivery_date + 2, u.delivery_date + 1, u.delivery_date + 5,
               1, now(), 1, now()
          FROM bench_unit u JOIN stock_production_lot l
            ON l.name = 'BSN' || lpad(u.rn::text, 7, '0') AND l.product_id = u.product_id;
        ALTER TABLE bench_unit ADD COLUMN archive_id int;
        UPDATE bench_unit u SET archive_id = a.id FROM aftersales_archive a
         WHERE a.name = 'BU' || lpad(u.rn::text, 7, '0');
        CREATE INDEX ON bench_unit (rn);
        ANALYZE bench_unit;
    """, p)
    step("serial numbers and archives", cr, "aftersales_archive")
    # Standard warranty contracts: 24 months from acceptance (= delivery + 5 days), the
    # replacement window 12 months; already reminded when past the reminder horizon.
    cr.execute("""
        INSERT INTO aftersales_warranty (name, state, contract_type, company_id, archive_id,
                                         product_id, partner_id, policy_id, date_start,
                                         date_end, replacement_date_start,
                                         replacement_date_end, reminder_date, create_uid,
                                         create_date, write_uid, write_date)
        SELECT 'BWAR' || lpad(u.rn::text, 7, '0'),
               CASE WHEN e.date_end < current_date THEN 'expired' ELSE 'active' END,
               'standard', %(company)s, u.archive_id, u.product_id, u.partner_id,
               (SELECT id FROM aftersales_warranty_policy WHERE name = 'Bench machines'),
               u.delivery_date, e.date_end, u.delivery_date,
               (u.delivery_date + interval '12 months' - interval '1 day')::date,
               CASE WHEN e.date_end < current_date + %(reminder_days)s
                    THEN e.date_end - %(reminder_days)s END,
               1, now(), 1, now()
          FROM bench_unit u
          CROSS JOIN LATERAL (SELECT (u.delivery_date + 5 + interval '24 months'
                                      - interval '1 day')::date AS date_end) e;
    """, p)
    step("standard warranty contracts", cr, "aftersales_warranty")
    # Service requests: 5,000 of the benchmark-5 customer on its 50 units, the rest spread
    # evenly over the units; most closed, answered and visited on time.
    cr.execute("""
        CREATE TEMP TABLE bench_cat AS
        SELECT array_agg(id ORDER BY id) AS ids FROM aftersales_ticket_category;
        INSERT INTO aftersales_ticket (name, active, company_id, state, channel, date_reported,
                                       title, partner_id, commercial_partner_id, contact_id,
                                       archive_id, product_id, description, category_id,
                                       priority, user_id, outcome, is_complaint, is_suggestion,
                                       answer_deadline, answered_date, is_answered,
                                       answer_on_time, arrival_deadline, arrival_date,
                                       arrival_on_time, no_show_count, create_uid, create_date,
                                       write_uid, write_date)
        SELECT 'BSR' || lpad(s.g::text, 7, '0'), true, %(company)s, s.state,
               (ARRAY['phone','email','portal','fax','website','remote','visit'])[1 + s.g %% 7],
               s.reported, 'Request ' || s.g, u.partner_id, u.partner_id, u.partner_id,
               u.archive_id, u.product_id, 'Symptom of request ' || s.g,
               c.ids[1 + s.g %% array_length(c.ids, 1)], (s.g %% 4)::text, 1, 'none',
               s.g %% 20 = 0, s.g %% 50 = 0,
               CASE WHEN s.state != 'new' THEN s.reported + interval '8 hours' END,
               CASE WHEN s.state NOT IN ('new', 'triage')
                    THEN s.reported + interval '1 hour' * (1 + s.g %% 9) END,
               s.state NOT IN ('new', 'triage'),
               s.state NOT IN ('new', 'triage') AND 1 + s.g %% 9 <= 8,
               CASE WHEN s.state IN ('done', 'confirmed', 'closed')
                    THEN s.reported + interval '48 hours' END,
               CASE WHEN s.state IN ('done', 'confirmed', 'closed')
                    THEN s.reported + interval '1 hour' * (12 + s.g %% 40) END,
               s.state IN ('done', 'confirmed', 'closed') AND 12 + s.g %% 40 <= 48,
               0, 1, s.reported, 1, s.reported
          FROM (SELECT g,
                       CASE WHEN g <= 5000 THEN 1 + g %% 50
                            ELSE 1 + (g * 31) %% %(n_units)s END AS unit_rn,
                       (ARRAY['closed','closed','closed','closed','closed','closed',
                              'confirmed','done','remote_solved','cancel'])[1 + g %% 10] AS state,
                       date_trunc('second', now()) - interval '1 minute' *
                           ((g::bigint * 7919) %% (%(days)s * 1440)) AS reported
                  FROM generate_series(1, %(n_tickets)s) g) s
          JOIN bench_unit u ON u.rn = s.unit_rn
         CROSS JOIN bench_cat c;
    """, p)
    step("service requests", cr, "aftersales_ticket")
    # Return visits over the eight years, one key each (the planning job's unique key).
    cr.execute("""
        CREATE TEMP TABLE bench_rule AS
        SELECT array_agg(id ORDER BY id) AS ids, array_agg(rule_type ORDER BY id) AS types
          FROM aftersales_visit_rule;
        INSERT INTO aftersales_visit (name, active, company_id, state, rule_id, rule_type,
                                      period_key, key, partner_id, contact_id, archive_id,
                                      product_id, user_id, channel, planned_date, deadline,
                                      done_date, on_time, score_structure, score_appearance,
                                      score_delivery, score_price, score_service,
                                      score_average, is_rated, is_dissatisfied, create_uid,
                                      create_date, write_uid, write_date)
        SELECT 'BV' || lpad(s.g::text, 7, '0'), true, %(company)s, s.state,
               r.ids[1 + s.g %% array_length(r.ids, 1)],
               r.types[1 + s.g %% array_length(r.ids, 1)],
               'bench-' || s.g, 'bench/' || s.g, u.partner_id, u.partner_id, u.archive_id,
               u.product_id, 1, 'phone', s.planned, s.planned + 30,
               CASE WHEN s.state = 'done' THEN s.planned + s.g %% 40 END,
               s.state = 'done' AND s.g %% 40 <= 30,
               s.sc, s.sc, s.sc, s.sc, s.sc, s.sc, s.sc > 0, s.sc BETWEEN 1 AND 2,
               1, now(), 1, now()
          FROM (SELECT g, current_date - 31 - ((g * 13) %% (%(days)s - 31)) AS planned,
                       CASE WHEN g %% 50 = 0 THEN 'cancel' WHEN g %% 10 = 0 THEN 'planned'
                            ELSE 'done' END AS state,
                       CASE WHEN g %% 10 BETWEEN 1 AND 7 THEN 1 + (g * 3) %% 5 ELSE 0 END AS sc
                  FROM generate_series(1, %(n_visits)s) g) s
          JOIN bench_unit u ON u.rn = 1 + (s.g * 17) %% %(n_units)s
         CROSS JOIN bench_rule r;
    """, p)
    step("return visits", cr, "aftersales_visit")
    # Handover trainings: one per unit, two trainees each.
    cr.execute("""
        INSERT INTO aftersales_training (name, active, company_id, state, archive_id, partner_id,
                                         product_id, date, trainer_id, trainee_count,
                                         passed_count, pass_rate, create_uid, create_date,
                                         write_uid, write_date)
        SELECT 'BTR' || lpad(rn::text, 7, '0'), true, %(company)s, 'done', archive_id,
               partner_id, product_id, delivery_date + 1, 1, 2, 2 - (rn %% 25 = 0)::int,
               CASE WHEN rn %% 25 = 0 THEN 50.0 ELSE 100.0 END, 1, now(), 1, now()
          FROM bench_unit;
        INSERT INTO aftersales_training_trainee (training_id, name, passed, create_uid,
                                                 create_date, write_uid, write_date)
        SELECT t.id, 'Operator ' || k, NOT (k = 2 AND t.passed_count = 1), 1, now(), 1, now()
          FROM aftersales_training t CROSS JOIN generate_series(1, 2) k
         WHERE t.name LIKE 'BTR%%';
    """, p)
    step("handover trainings", cr, "aftersales_training_trainee")
    # Core returns: one in ten units had a core part issued; the overdue ones were chased,
    # except those that fell overdue today.
    cr.execute("""
        INSERT INTO aftersales_core_return (name, active, company_id, state, partner_id,
                                            archive_id, product_id, quantity, date_issued,
                                            date_due, date_received, overdue_activity_scheduled,
                                            create_uid, create_date, write_uid, write_date)
        SELECT 'BCR' || lpad(g::text, 7, '0'), true, %(company)s, s.state, u.partner_id,
               u.archive_id, %(part)s, 1, s.due - 30, s.due,
               CASE WHEN s.state != 'expected' THEN s.due - 5 END,
               s.state = 'expected' AND s.due < current_date - 1, 1, now(), 1, now()
          FROM (SELECT g, current_date + 30 - ((g * 11) %% %(days)s) AS due,
                       CASE WHEN g %% 5 = 0 THEN 'expected' ELSE 'returned' END AS state
                  FROM generate_series(1, %(n_cores)s) g) s
          JOIN bench_unit u ON u.rn = 1 + (s.g * 10) %% %(n_units)s;
    """, p)
    step("core returns", cr, "aftersales_core_return")
    # Confirmed sale orders: 5,000 of the benchmark-5 customer (the reference of /my/tickets
    # is Odoo's /my/orders) and, for each load-test customer, as many as it has requests.
    cr.execute("""
        INSERT INTO sale_order (name, state, date_order, confirmation_date, partner_id,
                                partner_invoice_id, partner_shipping_id, pricelist_id,
                                company_id, user_id, picking_policy, warehouse_id,
                                amount_untaxed, amount_tax, amount_total, invoice_status,
                                create_uid, create_date, write_uid, write_date)
        SELECT 'BSO' || lpad((row_number() OVER ())::text, 7, '0'), 'sale', o.d, o.d,
               c.partner, c.partner, c.partner,
               (SELECT id FROM product_pricelist ORDER BY id LIMIT 1), %(company)s, 1, 'direct',
               (SELECT id FROM stock_warehouse ORDER BY id LIMIT 1), 1000 + g, 0, 1000 + g,
               'no', 1, o.d, 1, o.d
          FROM (SELECT %(big)s AS partner, 5000 AS n
                UNION ALL
                SELECT partner_id, count(*) FROM aftersales_ticket
                 WHERE partner_id = ANY(%(load_customers)s) GROUP BY partner_id) c
         CROSS JOIN LATERAL generate_series(1, c.n::int) g
         CROSS JOIN LATERAL (SELECT date_trunc('second', now()) - interval '1 hour' * g AS d) o;
    """, p)
    step("sale orders of the portal customers", cr, "sale_order")
    # Followers: the portal contacts follow their company's requests and orders (they opened
    # them or were added by the hotline), so they may comment on them from the portal.
    cr.execute("""
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'sale.order', o.id, o.partner_id FROM sale_order o WHERE o.name LIKE 'BSO%%'
         UNION ALL
        SELECT 'sale.order', o.id, p.id
          FROM sale_order o JOIN res_partner p ON p.parent_id = o.partner_id
         WHERE o.name LIKE 'BSO%%';
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'aftersales.ticket', t.id, p.id
          FROM aftersales_ticket t JOIN res_partner p ON p.parent_id = t.partner_id
         WHERE p.id IN (SELECT partner_id FROM res_users WHERE login LIKE 'bench_%%');
    """, p)
    step("followers", cr, "mail_followers")
    # benchmark 4 moves the dates of its scratch copies by the days since generation
    cr.execute("""
        INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid,
                                         write_date)
        VALUES ('aftersales.bench_generated_on', current_date::text, 1, now(), 1, now())""")


def main():
    conf, db, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    step = Steps()
    with odoo.api.Environment.manage():
        with odoo.registry(db).cursor() as cr:
            env = odoo.api.Environment(cr, SUPERUSER_ID, {})
            setup = orm_setup(env, scale)
            step("set-up through the ORM (products, users)")
            sql_volume(cr, setup, scale, step)
            cr.commit()
    # VACUUM cannot run in a transaction: psql (PG_BIN from bin/bench, else PATH).
    psql = os.path.join(os.environ.get("PG_BIN", ""), "psql")
    subprocess.run([psql, "-q", "-d", db, "-c", "VACUUM ANALYZE"], check=True)
    step("vacuum analyze")
    print("%-44s %7.1f s" % ("generator total (scale %s)" % scale,
                              time.perf_counter() - step.start), flush=True)


if __name__ == "__main__":
    main()
