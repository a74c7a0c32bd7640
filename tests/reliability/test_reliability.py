"""Concurrency and faults against a real prefork server and its own PostgreSQL cluster.

Run with `make reliability` (bin/reliability); the figures (cases tried, writes checked after the
faults, writes lost) are printed at the end and saved to .local/reliability/figures.json.
"""
import json
import os
import random
import signal
import subprocess
import threading
import time
import urllib.error
from collections import Counter

import pytest

from reliability_tools import DB, HOME, ROOT, Rpc, RpcError

FIGURES = {}


def _record(name, **figures):
    FIGURES[name] = figures
    (HOME / "figures.json").write_text(json.dumps(FIGURES, indent=2, sort_keys=True))
    print("\n%s: %s" % (name, figures))


@pytest.fixture(scope="module")
def world(admin, server):
    """Two after-sales users, a customer, a tracked product; the new-unit visit rule alone."""
    group = admin("ir.model.data", "xmlid_to_res_id", "aftersales_base.group_aftersales_user")
    users = []
    for login in ("rel_hotline", "rel_engineer"):
        uid = admin("res.users", "create", {
            "name": login, "login": login, "password": login + "-pwd",
            "email": "%s@example.com" % login,
            "groups_id": [(6, 0, [group])]})
        users.append(Rpc(server.url, uid, login + "-pwd"))
    customer = admin("res.partner", "create", {"name": "Reliability Customer",
                                               "is_company": True,
                                               "email": "service@reliability.example.com"})
    product = admin("product.product", "create", {
        "name": "Reliability VMC", "type": "product", "tracking": "serial",
        "aftersales_tracked": True})
    new_unit = admin("ir.model.data", "xmlid_to_res_id", "aftersales_survey.visit_rule_new_unit")
    others = admin("aftersales.visit.rule", "search", [("id", "!=", new_unit)])
    admin("aftersales.visit.rule", "write", others, {"active": False})
    admin("aftersales.visit.rule", "write", [new_unit], {"date_start": "2020-01-01"})
    cron = admin("ir.cron", "search", [("ir_actions_server_id.code", "like",
                                        "_cron_plan_visits")])
    assert len(cron) == 1
    return {"users": users, "customer": customer, "product": product, "cron": cron[0]}


def _units(admin, world, prefix, count):
    """`count` delivered units of the customer (two batch imports, not 2 x count calls)."""
    today = time.strftime("%Y-%m-%d")
    lots = admin("stock.production.lot", "load", ["name", "product_id/.id"],
                 [["%s-%04d" % (prefix, i), world["product"]] for i in range(count)])
    assert not lots["messages"], lots["messages"]
    archives = admin("aftersales.archive", "load",
                     ["product_id/.id", "lot_id/.id", "partner_id/.id", "delivery_date"],
                     [[world["product"], lot, world["customer"], today] for lot in lots["ids"]])
    assert not archives["messages"], archives["messages"]
    return archives["ids"]


def _visits_per_unit(cluster, archive_ids):
    rows = cluster.psql("select archive_id, count(*) from aftersales_visit "
                        "where archive_id in (%s) group by archive_id"
                        % ",".join(map(str, archive_ids)))
    return {int(a): int(c) for a, c in (line.split("|") for line in rows.splitlines() if line)}


def _parallel(*calls):
    """Run the calls at the same instant (a barrier); return [(result, error)]."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = (call(), None)
        except Exception as error:  # noqa: B902 - every outcome is reported
            results[index] = (None, error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return results


# Concurrency -------------------------------------------------------------------------------


def test_many_tickets_numbered_at_once(world, admin):
    threads, per_thread = 6, 15
    created = []

    def create_many(rpc, n):
        def run():
            ids = []
            for i in range(per_thread):
                ids.append(rpc("aftersales.ticket", "create", {
                    "partner_id": world["customer"], "description": "numbering %s-%s" % (n, i)}))
            return ids
        return run

    results = _parallel(*[create_many(world["users"][n % 2], n) for n in range(threads)])
    for ids, error in results:
        assert error is None, error
        created += ids
    names = [t["name"] for t in admin("aftersales.ticket", "read", created, ["name"])]
    assert len(created) == threads * per_thread
    assert len(set(names)) == len(names), Counter(names).most_common(3)
    assert all(name and name != "/" for name in names)
    _record("numbering", tickets=len(created), duplicates=len(names) - len(set(names)))


def test_two_users_move_the_same_ticket(world, admin):
    rounds = 15
    ok = refused = 0
    for _ in range(rounds):
        ticket = admin("aftersales.ticket", "create", {
            "partner_id": world["customer"], "description": "race"})
        results = _parallel(*[
            (lambda rpc=rpc: rpc("aftersales.ticket", "action_triage", [ticket]))
            for rpc in world["users"]])
        successes = [r for r, e in results if e is None]
        errors = [e for r, e in results if e is not None]
        assert len(successes) == 1, results
        assert isinstance(errors[0], RpcError) and errors[0].name == "odoo.exceptions.UserError"
        assert "is Triage" in errors[0].message or "triage" in errors[0].message.lower()
        ok += 1
        refused += 1
        state = admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"]
        assert state == "triage"
        moves = admin("mail.tracking.value", "search_count", [
            ("mail_message_id.model", "=", "aftersales.ticket"),
            ("mail_message_id.res_id", "=", ticket), ("field", "=", "state"),
            ("new_value_char", "=", "Triage")])
        assert moves == 1, "the move to Triage is in the chatter once"
    _record("same_ticket_moved_by_two_users", rounds=rounds, moved_once=ok,
            second_refused=refused)


def test_two_users_edit_the_same_ticket_no_lost_update(world, admin):
    rounds = 15
    for i in range(rounds):
        ticket = admin("aftersales.ticket", "create", {
            "partner_id": world["customer"], "description": "edit race"})
        hotline, engineer = world["users"]
        results = _parallel(
            lambda: hotline("aftersales.ticket", "write", [ticket],
                            {"contact_phone": "+86 510 %04d" % i}),
            lambda: engineer("aftersales.ticket", "write", [ticket],
                             {"site_address": "Hall %s" % i}))
        assert all(error is None for _r, error in results), results
        values = admin("aftersales.ticket", "read", [ticket],
                       ["contact_phone", "site_address"])[0]
        assert values["contact_phone"] == "+86 510 %04d" % i
        assert values["site_address"] == "Hall %s" % i
    _record("same_ticket_edited_by_two_users", rounds=rounds, lost_updates=0)


def test_same_scheduled_job_run_twice_at_once(world, admin, cluster):
    units = _units(admin, world, "REL-CRON2", 60)
    results = _parallel(*[
        (lambda: admin("ir.cron", "method_direct_trigger", [world["cron"]]))
        for _ in range(2)])
    assert all(error is None for _r, error in results), results
    per_unit = _visits_per_unit(cluster, units)
    assert set(per_unit) == set(units), "every due unit got its visit"
    assert set(per_unit.values()) == {1}, "no unit got two visits"
    admin("ir.cron", "method_direct_trigger", [world["cron"]])
    assert _visits_per_unit(cluster, units) == per_unit, "a third run adds nothing"
    _record("same_job_twice_at_once", units=len(units), visits=sum(per_unit.values()),
            duplicates=0)


# Faults ------------------------------------------------------------------------------------


class Load:
    """Writer threads creating tickets with unique markers; remembers what was acknowledged."""

    def __init__(self, world, threads=4):
        self.world = world
        self.stop = threading.Event()
        self.acked, self.failed = [], 0
        self.acked_after = {}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(threads)]

    def _run(self, n):
        rpc = self.world["users"][n % 2]
        i = 0
        while not self.stop.is_set():
            marker = "load-%s-%s-%s" % (os.getpid(), n, i)
            i += 1
            try:
                ticket = rpc("aftersales.ticket", "create", {
                    "partner_id": self.world["customer"], "description": marker}, timeout=30)
            except (RpcError, OSError, urllib.error.URLError, ValueError):
                with self.lock:
                    self.failed += 1
                time.sleep(0.2)
                continue
            with self.lock:
                self.acked.append((ticket, marker, time.time()))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def acked_since(self, moment):
        return [a for a in self.acked if a[2] > moment]


def _check_acked(cluster, acked):
    """Every acknowledged ticket is in the database with its marker and its number."""
    rows = cluster.psql("select id, description, name from aftersales_ticket "
                        "where description like 'load-%'")
    found = {int(i): (d, n) for i, d, n in (line.split("|", 2) for line in rows.splitlines())}
    lost = [(t, m) for t, m, _at in acked if found.get(t, (None,))[0] != m]
    unnumbered = [t for t, (_d, n) in found.items() if not n or n == "/"]
    return lost, unnumbered


def test_postgresql_restarted_under_load(world, cluster, server):
    master = server.proc.pid
    with Load(world) as load:
        time.sleep(10)
        before = len(load.acked)
        crash = time.time()
        cluster.stop(mode="immediate")  # a crash: no checkpoint, recovery from the WAL
        time.sleep(3)
        cluster.start()
        restarted = time.time()
        deadline = restarted + 60
        while not load.acked_since(restarted) and time.time() < deadline:
            time.sleep(0.5)
        recovered_after = (load.acked_since(restarted) or [(0, 0, deadline)])[0][2] - restarted
        time.sleep(10)
    assert before > 0
    assert load.acked_since(restarted), "the server did not recover by itself within 60 s"
    assert server.proc.pid == master and server.proc.poll() is None
    lost, unnumbered = _check_acked(cluster, load.acked)
    assert lost == [] and unnumbered == []
    _record("postgresql_restart", writes_acknowledged=len(load.acked), writes_checked=len(
        load.acked), writes_lost=len(lost), failed_requests=load.failed,
        recovered_seconds=round(recovered_after, 1), outage_seconds=round(restarted - crash, 1))


def test_worker_killed_mid_request(world, cluster, server):
    kills, killed = 5, []
    with Load(world, threads=6) as load:
        time.sleep(3)
        for _ in range(kills):
            workers = server.workers()
            assert workers, "no HTTP worker alive"
            pid = random.choice(workers)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            time.sleep(3)
        last_kill = time.time()
        time.sleep(4)
    assert load.acked_since(last_kill), "the server kept answering after the kills"
    assert set(server.workers()).isdisjoint(killed), "the killed workers were replaced"
    lost, unnumbered = _check_acked(cluster, load.acked)
    assert lost == [] and unnumbered == []
    _record("worker_killed", kills=kills, writes_acknowledged=len(load.acked),
            writes_checked=len(load.acked), writes_lost=len(lost), failed_requests=load.failed)


INTERRUPTED_JOB = r"""
import sys, time
import odoo
from odoo import api
odoo.tools.config.parse_config(["-c", sys.argv[1]])
registry = odoo.registry(sys.argv[2])
halfway = int(sys.argv[3])
with api.Environment.manage(), registry.cursor() as cr:
    env = api.Environment(cr, odoo.SUPERUSER_ID, {})
    Visit = type(env["aftersales.visit"])
    create = Visit.create
    count = [0]

    @api.model
    def counting_create(self, vals):
        record = create(self, vals)
        count[0] += 1
        if count[0] == halfway:
            print("halfway", flush=True)
            time.sleep(600)  # killed here, in the middle of the job's transaction
        return record

    Visit.create = counting_create
    env["aftersales.visit"]._cron_plan_visits()
print("finished", flush=True)
"""


def test_scheduled_job_interrupted_and_rerun(world, admin, cluster):
    units = _units(admin, world, "REL-KILL", 60)
    script = HOME / "interrupted_job.py"
    script.write_text(INTERRUPTED_JOB)
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), str(script), str(HOME / "odoo.conf"), DB,
         "30"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == "halfway", "the job did not reach its middle: %r" % line
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    time.sleep(1)  # PostgreSQL notices the dead client and rolls its transaction back
    assert _visits_per_unit(cluster, units) == {}, "nothing half-done is left"
    admin("ir.cron", "method_direct_trigger", [world["cron"]])
    per_unit = _visits_per_unit(cluster, units)
    assert set(per_unit) == set(units) and set(per_unit.values()) == {1}
    admin("ir.cron", "method_direct_trigger", [world["cron"]])
    assert _visits_per_unit(cluster, units) == per_unit
    _record("job_interrupted_and_rerun", units=len(units), killed_after_creates=30,
            left_after_kill=0, visits_after_rerun=sum(per_unit.values()), duplicates=0)
