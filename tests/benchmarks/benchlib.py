"""Shared by the HTTP benchmarks (5 and 6): an Odoo server of our own, portal sessions."""
import os
import re
import subprocess
import sys
import time

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOCAL = os.environ.get("BENCH_LOCAL") or os.path.join(ROOT, ".local")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Server:
    """An Odoo server on `port` serving only `db`, started and stopped by the benchmark."""

    def __init__(self, conf, db, port, extra=(), log_name="bench-server"):
        self.url = "http://127.0.0.1:%d" % port
        self.log = os.path.join(LOCAL, "%s.log" % log_name)
        self.args = [sys.executable, os.path.join(ROOT, "bin", "odoo"), "-c", conf, "-d", db,
                     "--db-filter", "^%s$" % db, "--http-port", str(port),
                     "--logfile", self.log] + list(extra)
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server stopped; see %s" % self.log)
            try:
                if requests.get(self.url + "/web/login", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError("the server did not answer within 3 minutes; see %s" % self.log)

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def login(url, user, password=None):
    """A requests session logged in as `user` (portal users' password is their login)."""
    session = requests.Session()
    page = session.get(url + "/web/login", timeout=60)
    token = CSRF.search(page.text).group(1)
    session.post(url + "/web/login", data={
        "login": user, "password": password or user, "csrf_token": token}, timeout=60)
    # Odoo 11 answers a login with a page that redirects in JavaScript: check /my instead
    response = session.get(url + "/my", timeout=60)
    if response.status_code != 200 or "/web/login" in response.url:
        raise RuntimeError("login of %s failed (%s %s)" % (user, response.status_code,
                                                           response.url))
    return session


def csrf_token(html):
    match = CSRF.search(html)
    return match and match.group(1)


def load_average():
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])
