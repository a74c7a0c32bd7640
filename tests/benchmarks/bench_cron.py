"""Benchmark 4 (issue 8): the scheduled jobs over 10,000 and 100,000 units.

    python bench_cron.py <odoo.conf> <db_small> <db_big>

Each generated database is copied to a scratch one (the jobs commit), its dates moved so that
the day of generation is today, and each job runs once in a process of its own, as the
scheduler would call it: return-visit planning, warranty expiry and reminders, overdue core
returns. Printed per job and volume: seconds, seconds per 1,000 units, queries, records the
job created, and the process's peak memory above what it held before the job started.
Reference: the same job over the 10x smaller volume, in the same run (the two alternate).
The process's CPU time per 1,000 units is printed beside the wall time: on a shared machine the
two runs do not get the same share of the CPU.
Targets: time per 1,000 units at 100k within 1.25x of the one at 10k (constant); the memory a
job adds at 100k within 1.25x of the one it adds at 10k (bounded).
"""
import json
import os
import resource
import subprocess
import sys
import time

import odoo

TARGET = 1.25
JOBS = [
    ("visit planning", "aftersales.visit", "_cron_plan_visits", "aftersales_visit"),
    ("warranty expiry and reminders", "aftersales.warranty", "_cron_expiry", "mail_activity"),
    ("overdue core returns", "aftersales.core.return", "_cron_schedule_overdue_activities",
     "mail_activity"),
]
# Dated columns moved by the days between generation and today.
DATED = {
    "aftersales_archive": ["delivery_date", "completeness_deadline", "commissioning_date",
                           "acceptance_date"],
    "aftersales_warranty": ["date_start", "date_end", "replacement_date_start",
                            "replacement_date_end", "reminder_date"],
    "aftersales_core_return": ["date_issued", "date_due", "date_received"],
    "aftersales_visit": ["planned_date", "deadline", "done_date"],
}


def psql(db, sql):
    out = subprocess.run([os.path.join(os.environ.get("PG_BIN", ""), "psql"), "-X", "-Atq",
                          "-d", db, "-c", sql], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    return out.strip()


def scratch_copy(db):
    scratch = db + "_cron"
    psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % scratch)
    psql("postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"' % (scratch, db))
    shift = int(psql(scratch, "SELECT current_date - value::date FROM ir_config_parameter "
                              "WHERE key = 'aftersales.bench_generated_on'") or 0)
    if shift:
        for table, columns in DATED.items():
            psql(scratch, "UPDATE %s SET %s" % (table, ", ".join(
                "%s = %s + %d" % (c, c, shift) for c in columns)))
    return scratch


def run_job(conf, db, job_index):
    """In the child process: run one job, print its figures as JSON."""
    label, model, method, table = JOBS[job_index]
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    with odoo.api.Environment.manage():
        registry = odoo.registry(db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            units = env["aftersales.archive"].search_count([])
            cr.execute("SELECT count(*) FROM %s" % table)
            rows_before = cr.fetchone()[0]
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            queries = cr.sql_log_count
            start = time.perf_counter()
            cpu = time.process_time()
            getattr(env[model], method)()
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
            queries = cr.sql_log_count - queries
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            cr.commit()
            cr.execute("SELECT count(*) FROM %s" % table)
            created = cr.fetchone()[0] - rows_before
    print(json.dumps({"seconds": seconds, "cpu": cpu, "queries": queries, "units": units,
                      "created": created, "rss_mb": rss_before / 1024.0,
                      "added_mb": (rss_after - rss_before) / 1024.0}))


def main():
    if sys.argv[1] == "--job":
        return run_job(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    conf, db_small, db_big = sys.argv[1:4]
    scratch = {db: scratch_copy(db) for db in (db_small, db_big)}
    results = {}
    try:
        for index, (label, _model, _method, _table) in enumerate(JOBS):
            for db in (db_small, db_big):
                out = subprocess.run([sys.executable, __file__, "--job", conf, scratch[db],
                                      str(index)], check=True, stdout=subprocess.PIPE,
                                     universal_newlines=True).stdout
                results[(label, db)] = figures = json.loads(out.strip().splitlines()[-1])
                print("%-30s %7d units %8.2f s %7.3f s/1000 units (Python CPU %7.3f s/1000) "
                      "%7d queries %6d created %7.1f MB added (process %5.0f MB)" % (
                          label, figures["units"], figures["seconds"],
                          1000 * figures["seconds"] / figures["units"],
                          1000 * figures["cpu"] / figures["units"], figures["queries"],
                          figures["created"], figures["added_mb"], figures["rss_mb"]),
                      flush=True)
    finally:
        for name in scratch.values():
            psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % name)
    print()
    for label, _model, _method, _table in JOBS:
        small, big = results[(label, db_small)], results[(label, db_big)]
        per_small = small["seconds"] / small["units"]
        per_big = big["seconds"] / big["units"]
        ratio = per_big / per_small
        # memory below 5 MB is noise of the allocator: count it as 5 MB
        mem_ratio = max(big["added_mb"], 5.0) / max(small["added_mb"], 5.0)
        print("%-30s time per 1,000 units 100k/10k: %.2f (target <= %.2f) %s; memory added "
              "100k/10k: %.2f (target <= %.2f) %s" % (
                  label, ratio, TARGET, "PASS" if ratio <= TARGET else "MISS", mem_ratio,
                  TARGET, "PASS" if mem_ratio <= TARGET else "MISS"))


if __name__ == "__main__":
    main()
