"""Benchmark 6 (issue 8): 30 portal customers at once on the prefork server, for 3 minutes.

    python bench_load.py <production odoo.conf template> <generated database> <port> [seconds]

The server runs in prefork mode with the production template's values (`workers`, memory and
time limits), rendered for this machine: local database, <port> and <port>+1 for long polling,
no cron thread (the nightly jobs are benchmark 4). 30 threads, one per portal customer
(`bench_portal_00` ... `_29`, each with its company's requests and as many sale orders), loop
without pause over:
  ours:  /my/tickets -> one of the listed requests -> a comment on it (portal chatter), and
         every 5th round a new request through /my/tickets/new;
  Odoo:  /my/orders  -> one of the listed orders   -> a comment on it (portal chatter).
The two loads alternate in blocks of a minute until each had <seconds> (default 180). The load
tool is this script: threads and `requests` in Odoo's own Python 3.7 (see BENCHMARKS.md).
Afterwards the database must hold every request the customers were told was created.
"""
import configparser
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid

import psycopg2
import requests

from benchlib import LOCAL, ROOT, Server, csrf_token, load_average, login

USERS = ["bench_portal_%02d" % i for i in range(30)]
BLOCK = 60
TARGET = 1.2
TOKEN_JS = re.compile(r'csrf_token: "([^"]+)"')


def render_conf(template, db, port):
    """The production template with this machine's paths and our ports."""
    parser = configparser.ConfigParser()
    parser.read(template)
    options = parser["options"]
    test_conf = configparser.ConfigParser()
    test_conf.read(os.environ["BENCH_CONF"])
    for key in ("db_host", "db_port", "db_user", "db_password"):
        options[key] = test_conf["options"][key]
    options.update({
        "addons_path": os.path.join(ROOT, "addons"),
        "data_dir": os.path.join(LOCAL, "filestore-bench"),
        "admin_passwd": uuid.uuid4().hex,
        "db_name": db, "dbfilter": "^%s$" % db,
        "http_port": str(port), "longpolling_port": str(port + 1),
        "logfile": os.path.join(LOCAL, "bench-prefork.log"),
        "max_cron_threads": "0",
    })
    path = os.path.join(LOCAL, "bench-prefork.conf")
    with open(path, "w") as handle:
        parser.write(handle)
    return path, options["workers"]


class Customer(threading.Thread):
    def __init__(self, url, user, marker):
        super().__init__(daemon=True)
        self.url, self.user, self.marker = url, user, marker
        self.kind = self.round_kind = None
        self.stop = False
        self.samples = []  # (kind, action, seconds, ok)
        self.errors = []
        self.created = 0
        self.rounds = 0
        self.session = login(url, user)

    def call(self, action, method, path, **kw):
        start = time.perf_counter()
        ok = False
        response = None
        try:
            response = self.session.request(method, self.url + path, timeout=120,
                                            allow_redirects=False, **kw)
            ok = response.status_code in ((303, 302) if method == "POST" else (200,))
        except requests.RequestException as error:
            self.errors.append("%s %s: %s" % (method, path, error))
        elapsed = time.perf_counter() - start
        if not ok and response is not None:
            self.errors.append("%s %s: HTTP %s" % (method, path, response.status_code))
        self.samples.append((self.round_kind, action, elapsed, ok))
        return response if ok else None

    def comment(self, model, res_id, page, path):
        token = csrf_token(page.text) or TOKEN_JS.search(page.text).group(1)
        self.call("comment", "POST", "/mail/chatter_post", headers={"Referer": self.url + path},
                  data={"res_model": model, "res_id": res_id, "csrf_token": token,
                        "message": "%s comment of %s" % (self.marker, self.user)})

    def round_tickets(self):
        listing = self.call("list", "GET", "/my/tickets")
        ids = listing and re.findall(r'href="/my/tickets/(\d+)"', listing.text)
        if ids:
            path = "/my/tickets/%s" % random.choice(ids)
            page = self.call("document", "GET", path)
            if page:
                self.comment("aftersales.ticket", path.rsplit("/", 1)[1], page, path)
        if self.rounds % 5 == 0:
            form = self.call("new form", "GET", "/my/tickets/new")
            if form:
                units = re.findall(r'<option value="(\d+)"', form.text)
                done = self.call("create", "POST", "/my/tickets/new", data={
                    "csrf_token": csrf_token(form.text), "archive_id": random.choice(units),
                    "description": "%s new request of %s" % (self.marker, self.user)})
                if done is not None and re.search(r"/my/tickets/\d+$",
                                                  done.headers.get("Location", "")):
                    self.created += 1
                elif done is not None:
                    self.errors.append("create answered %s" % done.headers.get("Location"))

    def round_orders(self):
        listing = self.call("list", "GET", "/my/orders")
        ids = listing and re.findall(r'href="/my/orders/(\d+)', listing.text)
        if ids:
            path = "/my/orders/%s" % random.choice(ids)
            page = self.call("document", "GET", path)
            if page:
                self.comment("sale.order", path.rsplit("/", 1)[1], page, path)

    def run(self):
        while not self.stop:
            kind = self.kind
            if kind is None:
                time.sleep(0.05)
                continue
            self.rounds += 1
            self.round_kind = kind  # a round started in one block counts for that load
            (self.round_tickets if kind == "ours" else self.round_orders)()


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main():
    template, db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 180
    conf, workers = render_conf(template, db, port)
    marker = "LOADTEST-%s" % uuid.uuid4().hex[:8]
    loads = []
    with Server(conf, db, port, log_name="bench-prefork-server") as server:
        customers = [Customer(server.url, user, marker) for user in USERS]
        for customer in customers:
            customer.start()
        done = {"ours": 0, "odoo": 0}
        while min(done.values()) < seconds:
            for kind in ("ours", "odoo"):
                block = min(BLOCK, seconds - done[kind])
                if block <= 0:
                    continue
                for customer in customers:
                    customer.kind = kind
                time.sleep(block)
                done[kind] += block
                loads.append(load_average())
        for customer in customers:
            customer.kind = None
            customer.stop = True
        for customer in customers:
            customer.join(150)
        options = configparser.ConfigParser()
        options.read(conf)
        o = options["options"]
        with psycopg2.connect(dbname=db, host=o["db_host"], port=o["db_port"],
                              user=o["db_user"]) as cnx, cnx.cursor() as cr:
            cr.execute("SELECT count(*) FROM aftersales_ticket WHERE description LIKE %s",
                       (marker + " new request%",))
            in_db = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM mail_message WHERE body LIKE %s",
                       ("%" + marker + " comment%",))
            comments_in_db = cr.fetchone()[0]
    samples = [s for c in customers for s in c.samples]
    errors = [e for c in customers for e in c.errors]
    created = sum(c.created for c in customers)
    print("prefork server: workers = %s (config/odoo-production.conf), 30 portal customers, "
          "%d s of each load in blocks of %d s; load average during the blocks: %s"
          % (workers, seconds, BLOCK, "; ".join(loads)))
    summary = {}
    for kind, label in (("ours", "/my/tickets (ours)"), ("odoo", "/my/orders (Odoo)")):
        mine = [s for s in samples if s[0] == kind]
        times = [s[2] for s in mine]
        summary[kind] = (statistics.median(times), percentile(times, 0.95))
        print("%-20s %6d requests %5.1f/s  median %6.0f ms  p95 %6.0f ms  errors %d" % (
            label, len(mine), len(mine) / seconds, summary[kind][0] * 1000,
            summary[kind][1] * 1000, sum(1 for s in mine if not s[3])))
        for action in ("list", "document", "comment", "new form", "create"):
            times = [s[2] for s in mine if s[1] == action]
            if times:
                print("    %-10s %6d  median %6.0f ms  p95 %6.0f ms" % (
                    action, len(times), statistics.median(times) * 1000,
                    percentile(times, 0.95) * 1000))
    comments = sum(1 for s in samples if s[1] == "comment" and s[3])
    print("requests created: %d acknowledged, %d in the database; comments: %d acknowledged, "
          "%d in the database" % (created, in_db, comments, comments_in_db))
    ratio_median = summary["ours"][0] / summary["odoo"][0]
    ratio_p95 = summary["ours"][1] / summary["odoo"][1]
    ok = not errors and created == in_db and comments == comments_in_db
    print("errors: %d%s; every created request in the database: %s" % (
        len(errors), (" (first: %s)" % errors[0]) if errors else "",
        "yes" if created == in_db else "NO"))
    print("latency ratio ours/Odoo: median %.2f, p95 %.2f (target <= %.1f); %s" % (
        ratio_median, ratio_p95, TARGET,
        "PASS" if ok and max(ratio_median, ratio_p95) <= TARGET else "MISS"))


if __name__ == "__main__":
    main()
