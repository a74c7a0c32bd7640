"""Benchmark 5 (issue 8): portal pages of a customer with 5,000 service requests vs Odoo's own
/my/orders of the same customer's 5,000 confirmed orders.

    python bench_portal.py <odoo.conf> <generated database> <port>

Starts a server of its own (threaded, one database) on <port>, logs in as the portal user
`bench_big` and requests each pair of pages alternately, 7 times after a warm-up: the first
list page, a deep list page (page 100, offset 1,980) and one document. Medians; target: ours
within 1.2x of Odoo's.
"""
import re
import statistics
import sys
import time

from benchlib import Server, load_average, login

TARGET = 1.2
REPEAT = 7


def timed_get(session, url):
    start = time.perf_counter()
    response = session.get(url, timeout=120)
    elapsed = time.perf_counter() - start
    if response.status_code != 200 or "/web/login" in response.url:
        raise RuntimeError("%s answered %s (%s)" % (url, response.status_code, response.url))
    return elapsed, response.text


def main():
    conf, db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Server(conf, db, port, extra=["--max-cron-threads=0"]) as server:
        session = login(server.url, "bench_big")
        _t, tickets = timed_get(session, server.url + "/my/tickets")
        _t, orders = timed_get(session, server.url + "/my/orders")
        ticket_id = re.search(r'href="/my/tickets/(\d+)"', tickets).group(1)
        order_id = re.search(r'href="/my/orders/(\d+)', orders).group(1)
        pairs = [
            ("list, first page", "/my/tickets", "/my/orders"),
            ("list, page 100", "/my/tickets/page/100", "/my/orders/page/100"),
            ("one document", "/my/tickets/%s" % ticket_id, "/my/orders/%s" % order_id),
        ]
        for _label, ours, odoos in pairs:  # warm-up: assets, caches
            for _i in range(1):
                timed_get(session, server.url + ours)
                timed_get(session, server.url + odoos)
        rows = []
        for label, ours, odoos in pairs:
            mine, ref = [], []
            for _i in range(REPEAT):
                mine.append(timed_get(session, server.url + ours)[0])
                ref.append(timed_get(session, server.url + odoos)[0])
            rows.append((label, ours, odoos, statistics.median(mine), statistics.median(ref)))
        count = len(re.findall(r'href="/my/tickets/\d+"', tickets))
    print("customer with 5,000 requests and 5,000 orders; %d requests listed per page; "
          "load average %s" % (count, load_average()))
    for label, ours, odoos, mine, ref in rows:
        ratio = mine / ref
        print("%-18s %-24s %6.0f ms  vs %-20s %6.0f ms  ratio %.2f (target <= %.1f) %s" % (
            label, ours, mine * 1000, odoos, ref * 1000, ratio, TARGET,
            "PASS" if ratio <= TARGET else "MISS"))


if __name__ == "__main__":
    main()
