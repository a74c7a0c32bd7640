"""Benchmark 3 (issue 8): every KPI report over the full volume vs hand-written SQL in psql.

    python bench_kpi.py <odoo.conf> <generated database>

Subject: what the pivot view asks the server for a report laid out month x category (Odoo 11's
pivot reads the grand total, the rows, the columns and the cells: four `read_group` requests
with the view's measures, sent at once by the web client; here four threads with a cursor each,
as four server workers; the time of the four one after the other is printed too), and the KPI
dashboard of the current year by month (`_kpi_values` with by_month and the complaints by
category), through the ORM in this process.
Reference: a hand-written SQL aggregate over the base tables giving the same numbers (one
GROUPING SETS query per report), run through `psql` (process start included). The totals of
both are compared. Rounds alternate subject and reference; medians of 3 rounds.
"""
import os
import statistics
import subprocess
import sys
import threading
import time

import odoo

TARGET = 1.5
ROUNDS = 3

TICKET_ON_TIME = """
    CASE WHEN t.answer_deadline IS NOT NULL OR t.arrival_deadline IS NOT NULL
         THEN CASE WHEN (t.answer_deadline IS NULL OR t.answer_on_time)
                    AND (t.arrival_deadline IS NULL OR t.arrival_on_time)
                   THEN 100.0 ELSE 0.0 END END"""
TICKET_ARRIVAL = """
    CASE WHEN t.arrival_deadline IS NOT NULL
         THEN CASE WHEN t.arrival_on_time THEN 100.0 ELSE 0.0 END END"""

TICKET_SQL = """
        SELECT to_char(t.date_reported, 'YYYY-MM') AS month, COALESCE(t.category_id, 0), count(*),
               sum(t.is_complaint::int), avg(%s), avg(%s)
          FROM aftersales_ticket t
         WHERE t.state != 'cancel' AND t.active
         GROUP BY GROUPING SETS ((), (1), (2), (1, 2))""" % (TICKET_ON_TIME, TICKET_ARRIVAL)
TRAINING_SQL = """
        SELECT to_char(t.date, 'YYYY-MM') AS month, COALESCE(t.product_id, 0), count(*),
               sum(l.passed::int), avg(CASE WHEN l.passed THEN 100.0 ELSE 0.0 END)
          FROM aftersales_training_trainee l JOIN aftersales_training t ON t.id = l.training_id
         WHERE t.state = 'done' AND t.active
         GROUP BY GROUPING SETS ((), (1), (2), (1, 2))"""

VISIT_SQL = """
        SELECT to_char(v.deadline, 'YYYY-MM') AS month, COALESCE(v.rule_type, '-'), count(*),
               sum(d.due), sum((v.state = 'done')::int),
               avg(CASE WHEN d.due = 1 THEN CASE WHEN v.state = 'done' THEN 100.0 ELSE 0.0 END END),
               avg(CASE WHEN v.is_rated THEN CASE WHEN v.score_average >= 4 THEN 100.0 ELSE 0.0 END END),
               avg(NULLIF(v.score_service, 0))
          FROM aftersales_visit v
         CROSS JOIN LATERAL (SELECT CASE WHEN v.state = 'done' OR (v.state = 'planned'
                                     AND v.deadline < CURRENT_DATE) THEN 1 ELSE 0 END AS due) d
         WHERE v.active
         GROUP BY GROUPING SETS ((), (1), (2), (1, 2))"""

# (label, model, measures, row, column, reference SQL, the measure that counts the base rows)
REPORTS = [
    ("service requests (K3 K5 K8 K9)", "aftersales.ticket.report",
     ["nbr", "complaint_count", "timeliness_rate", "arrival_rate"], "month", "category_id",
     TICKET_SQL, "__count"),
    ("service requests by month (pre-aggregated)", "aftersales.ticket.month.report",
     ["nbr", "complaint_count", "timeliness_rate", "arrival_rate"], "month", "category_id",
     TICKET_SQL, "nbr"),
    ("return visits (K1 K2 K6)", "aftersales.visit.report",
     ["due_count", "done_count", "visit_rate", "satisfaction_rate", "score_service"],
     "month", "rule_type", VISIT_SQL, "__count"),
    ("return visits by month (pre-aggregated)", "aftersales.visit.month.report",
     ["nbr", "due_count", "done_count", "visit_rate", "satisfaction_rate", "score_service"],
     "month", "rule_type", VISIT_SQL, "nbr"),
    ("handover training (K4)", "aftersales.training.report",
     ["nbr", "passed_count", "pass_rate"], "month", "product_id", TRAINING_SQL, "__count"),
    ("handover training by month (pre-aggregated)", "aftersales.training.month.report",
     ["nbr", "passed_count", "pass_rate"], "month", "product_id", TRAINING_SQL, "nbr"),
]

# The dashboard of the current year, month by month: the same numerators and denominators.
DASHBOARD_SQL = """
    SELECT to_char(t.date_reported, 'YYYY-MM'), count(*),
           sum(CASE WHEN t.answer_deadline IS NOT NULL OR t.arrival_deadline IS NOT NULL THEN 1 ELSE 0 END),
           sum(CASE WHEN (t.answer_deadline IS NOT NULL OR t.arrival_deadline IS NOT NULL)
                     AND (t.answer_deadline IS NULL OR t.answer_on_time)
                     AND (t.arrival_deadline IS NULL OR t.arrival_on_time) THEN 1 ELSE 0 END),
           sum((t.arrival_deadline IS NOT NULL)::int),
           sum((t.arrival_deadline IS NOT NULL AND t.arrival_on_time)::int)
      FROM aftersales_ticket t
     WHERE t.state != 'cancel' AND t.active AND t.company_id = {company}
       AND t.date_reported >= '{start}' AND t.date_reported < '{end}'::date + 1
     GROUP BY 1;
    SELECT c.name, count(*) FROM aftersales_ticket t
      LEFT JOIN aftersales_ticket_category c ON c.id = t.category_id
     WHERE t.state != 'cancel' AND t.active AND t.is_complaint AND t.company_id = {company}
       AND t.date_reported >= '{start}' AND t.date_reported < '{end}'::date + 1
     GROUP BY 1;
    SELECT to_char(v.deadline, 'YYYY-MM'),
           sum(CASE WHEN v.state = 'done' AND a.delivery_date + make_interval(months => c.aftersales_warranty_months) >= v.deadline THEN 1 ELSE 0 END),
           sum(CASE WHEN (v.state = 'done' OR (v.state = 'planned' AND v.deadline < CURRENT_DATE))
                     AND a.delivery_date + make_interval(months => c.aftersales_warranty_months) >= v.deadline THEN 1 ELSE 0 END),
           sum((v.is_rated AND v.score_average >= 4)::int), sum(v.is_rated::int),
           sum(COALESCE(v.score_service, 0)), sum((v.score_service > 0)::int)
      FROM aftersales_visit v JOIN res_company c ON c.id = v.company_id
      LEFT JOIN aftersales_archive a ON a.id = v.archive_id
     WHERE v.active AND v.company_id = {company} AND v.deadline BETWEEN '{start}' AND '{end}'
     GROUP BY 1;
    SELECT to_char(t.date, 'YYYY-MM'), sum(l.passed::int), count(*)
      FROM aftersales_training_trainee l JOIN aftersales_training t ON t.id = l.training_id
     WHERE t.state = 'done' AND t.active AND t.company_id = {company}
       AND t.date BETWEEN '{start}' AND '{end}'
     GROUP BY 1;"""


def psql(db, sql):
    bin_dir = os.environ.get("PG_BIN", "")
    start = time.perf_counter()
    out = subprocess.run([os.path.join(bin_dir, "psql"), "-X", "-At", "-d", db, "-c", sql],
                         check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    return time.perf_counter() - start, [line.split("|") for line in out.splitlines()]


def pivot(env, model, measures, row, col):
    """The read_group calls of a pivot view laid out `row` x `col`, from a cold cache."""
    env.cache.invalidate()
    start = time.perf_counter()
    results = [env[model].read_group([], measures + groupby, groupby, lazy=False)
               for groupby in ([], [row], [col], [row, col])]
    return time.perf_counter() - start, results


def pivot_concurrent(registry, model, measures, row, col):
    """The same four read_group calls sent at once, as the web client sends the pivot's four
    requests (each on its own cursor, as each would be in its own server worker)."""
    def call(groupby, out):
        with odoo.api.Environment.manage(), registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            out.append(env[model].read_group([], measures + groupby, groupby, lazy=False))
    results = [[] for _i in range(4)]
    threads = [threading.Thread(target=call, args=(groupby, out)) for groupby, out in zip(
        ([], [row], [col], [row, col]), results)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, [out[0] for out in results]


def dashboard(env):
    env.cache.invalidate()
    start = time.perf_counter()
    Dashboard = env["aftersales.kpi.dashboard"]
    wizard = Dashboard.new(Dashboard.default_get(["date_from", "date_to", "company_id"]))
    values = wizard._kpi_values(by_month=True)
    complaints = wizard._complaints_by_category()
    return time.perf_counter() - start, (wizard, values, complaints)


def main():
    conf, db = sys.argv[1:3]
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    lines = []
    with odoo.api.Environment.manage(), odoo.registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        registry = odoo.registry(db)
        # The monthly reports are materialized views: their refresh (the hourly job) is
        # measured against the same reference, then the pivots read what it computed.
        for label, model, sql in (
                ("refresh of return visits by month", "aftersales.visit.month.report",
                 VISIT_SQL),
                ("refresh of service requests by month", "aftersales.ticket.month.report",
                 TICKET_SQL),
                ("refresh of trainings by month", "aftersales.training.month.report",
                 TRAINING_SQL)):
            orm_times, sql_times = [], []
            for _round in range(ROUNDS):
                start = time.perf_counter()
                env[model]._refresh()
                orm_times.append(time.perf_counter() - start)
                sql_times.append(psql(db, sql)[0])
            lines.append((label, statistics.median(orm_times), statistics.median(sql_times),
                          "once an hour, whatever the number of pivots opened"))
        cr.commit()
        for label, model, measures, row, col, sql, total_field in REPORTS:
            orm_times, sql_times, seq_times = [], [], []
            for _round in range(ROUNDS):
                seconds, results = pivot_concurrent(registry, model, measures, row, col)
                orm_times.append(seconds)
                seconds, rows = psql(db, sql)
                sql_times.append(seconds)
                seq_times.append(pivot(env, model, measures, row, col)[0])
            orm_total = results[0][0][total_field]
            sql_total = int(next(r for r in rows if r[0] == "" and r[1] == "")[2])
            cells = len(results[3])
            sql_cells = sum(1 for r in rows if r[0] != "" and r[1] != "")
            same = orm_total == sql_total and cells == sql_cells
            lines.append((label, statistics.median(orm_times), statistics.median(sql_times),
                          "%d rows, %d cells, the 4 calls one after the other: %.3f s%s" % (
                              orm_total, cells, statistics.median(seq_times),
                                                    "" if same else " MISMATCH: SQL %d rows, %d cells"
                                                    % (sql_total, sql_cells))))
        orm_times, sql_times = [], []
        for _round in range(ROUNDS):
            seconds, (wizard, values, complaints) = dashboard(env)
            orm_times.append(seconds)
            sql = DASHBOARD_SQL.format(company=wizard.company_id.id, start=wizard.date_from,
                                       end=wizard.date_to)
            seconds, rows = psql(db, sql)
            sql_times.append(seconds)
        requests = sum(v["numerator"] for v in values["k8"].values())
        lines.append(("KPI dashboard, this year by month", statistics.median(orm_times),
                      statistics.median(sql_times),
                      "%d requests, %d complaints" % (requests, sum(c for _n, c in complaints))))
        cr.rollback()
    print("%-36s %9s %9s %7s  %s" % ("report (pivot month x category)", "ORM s", "psql s",
                                      "ratio", "target %.1f" % TARGET))
    for label, orm, sql, note in lines:
        ratio = orm / sql
        print("%-36s %9.3f %9.3f %7.2f  %s  (%s)" % (label, orm, sql, ratio,
                                                     "PASS" if ratio <= TARGET else "MISS", note))


if __name__ == "__main__":
    main()
