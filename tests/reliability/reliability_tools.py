"""Real servers for the reliability tests (`make reliability`, not part of `make test`).

A separate small PostgreSQL cluster in .local/reliability/ (so that restarting it cannot disturb
the cluster of the test run or of `make run`), a copy of the test template database restored
into it, and a prefork Odoo server on RELIABILITY_HTTP_PORT (default 8481) in front of it.
"""
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / ".local" / "reliability"
PGDATA = HOME / "pgdata"
PGRUN = HOME / "run"
DB = "aftersales_reliability"
HTTP_PORT = int(os.environ.get("RELIABILITY_HTTP_PORT", "8481"))
PG_BIN = Path(os.environ["PG_BIN"])
TEMPLATE = os.environ.get("RELIABILITY_TEMPLATE", "aftersales_test_template")


def _as_pg_owner(*cmd):
    """Run a PostgreSQL server binary as 'postgres' when root (initdb and pg_ctl refuse root)."""
    if os.getuid() == 0:
        cmd = ("runuser", "-u", "postgres", "--") + cmd
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True).stdout


class Cluster:
    """The reliability cluster: started, stopped, crashed and queried from the tests."""

    def env(self):
        return dict(os.environ, PGHOST=str(PGRUN), PGPORT="5432", PGUSER="odoo")

    def start(self):
        _as_pg_owner(str(PG_BIN / "pg_ctl"), "-D", str(PGDATA), "-l", str(PGDATA / "server.log"),
                     "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        _as_pg_owner(str(PG_BIN / "pg_ctl"), "-D", str(PGDATA), "-m", mode, "-w", "stop")

    def running(self):
        return subprocess.run(
            (["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else [])
            + [str(PG_BIN / "pg_ctl"), "-D", str(PGDATA), "status"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

    def psql(self, query, db=DB):
        return subprocess.run(
            [str(PG_BIN / "psql"), "-d", db, "-Atc", query], env=self.env(), check=True,
            stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()

    def create(self):
        if not (PGDATA / "PG_VERSION").exists():
            PGDATA.mkdir(parents=True, exist_ok=True)
            PGRUN.mkdir(parents=True, exist_ok=True)
            if os.getuid() == 0:
                shutil.chown(str(PGDATA), "postgres")
                shutil.chown(str(PGRUN), "postgres")
            _as_pg_owner(str(PG_BIN / "initdb"), "-D", str(PGDATA), "-A", "trust", "-U", "odoo",
                         "-E", "UTF8", "--locale=C.UTF-8")
            # Durable (fsync and synchronous commit on, unlike the test cluster): the crash test
            # asserts that what Odoo acknowledged survives.
            with (PGDATA / "postgresql.conf").open("a") as conf:
                conf.write("listen_addresses = ''\nunix_socket_directories = '%s'\n"
                           "max_connections = 100\nshared_buffers = 64MB\n" % PGRUN)
        PGRUN.mkdir(parents=True, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(str(PGRUN), "postgres")
        if not self.running():
            self.start()


def _restore_template(cluster):
    """Copy the test template (main cluster) into the reliability cluster, with its files."""
    dump = HOME / "template.dump"
    subprocess.run([str(PG_BIN / "pg_dump"), "-Fc", "-f", str(dump), TEMPLATE], check=True)
    env = cluster.env()
    subprocess.run([str(PG_BIN / "dropdb"), "--if-exists", DB], env=env, check=True)
    subprocess.run([str(PG_BIN / "createdb"), DB], env=env, check=True)
    subprocess.run([str(PG_BIN / "pg_restore"), "--no-owner", "-d", DB, str(dump)], env=env,
                   check=True)
    source = ROOT / ".local" / "filestore-test" / "filestore" / TEMPLATE
    target = HOME / "data" / "filestore" / DB
    shutil.rmtree(str(target), ignore_errors=True)
    if source.exists():
        shutil.copytree(str(source), str(target))


def _write_config():
    conf = HOME / "odoo.conf"
    conf.write_text("\n".join([
        "[options]",
        "addons_path = %s" % (ROOT / "addons"),
        "data_dir = %s" % (HOME / "data"),
        "db_host = %s" % PGRUN, "db_port = 5432", "db_user = odoo", "db_password = False",
        "db_name = %s" % DB, "dbfilter = ^%s$" % DB, "list_db = False",
        "http_interface = 127.0.0.1", "http_port = %s" % HTTP_PORT,
        "longpolling_port = %s" % (HTTP_PORT + 1),
        # Prefork: two HTTP workers (the worker-kill and the parallel cron cases need them),
        # no cron worker (the tests trigger the jobs themselves).
        "workers = 2", "max_cron_threads = 0",
        "limit_time_cpu = 120", "limit_time_real = 240",
        "limit_memory_soft = 2147483648", "limit_memory_hard = 2684354560",
        "without_demo = all", "logfile = %s" % (HOME / "odoo.log"), "log_level = warn",
        "smtp_server = localhost", "smtp_port = 2525", "",
    ]))
    return conf


class Server:
    """A prefork Odoo server on the reliability database."""

    def __init__(self, conf):
        self.conf = conf
        self.proc = None
        self.url = "http://127.0.0.1:%s" % HTTP_PORT

    def start(self):
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "bin" / "odoo"), "-c",
             str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.wait_up(120)

    def wait_up(self, timeout):
        """Seconds until /web/login answers 200 (raises after `timeout`)."""
        start = time.time()
        while time.time() - start < timeout:
            assert self.proc.poll() is None, "the Odoo server exited; see %s" % (
                HOME / "odoo.log")
            try:
                with urllib.request.urlopen(self.url + "/web/login", timeout=5) as response:
                    if response.status == 200:
                        return time.time() - start
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("the server did not answer within %s s" % timeout)

    def workers(self):
        """Pids of the HTTP workers (children of the master, not the long-polling one)."""
        out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(self.proc.pid)],
                             stdout=subprocess.PIPE, universal_newlines=True).stdout
        return [int(line.split()[0]) for line in out.splitlines()
                if line.strip() and "gevent" not in line]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class Rpc:
    """JSON-RPC (/jsonrpc execute_kw) as one user; raises RpcError on an Odoo error."""

    def __init__(self, url, uid, password):
        self.url, self.uid, self.password = url, uid, password

    def __call__(self, model, method, *args, timeout=60, **kwargs):
        payload = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
            "service": "object", "method": "execute_kw",
            "args": [DB, self.uid, self.password, model, method, list(args), kwargs]}}).encode()
        req = urllib.request.Request(self.url + "/jsonrpc", payload,
                                     {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as response:
            answer = json.loads(response.read().decode())
        if "error" in answer:
            raise RpcError(answer["error"]["data"].get("name"),
                           answer["error"]["data"].get("message"))
        return answer["result"]


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__("%s: %s" % (name, message))
        self.name, self.message = name, message


@pytest.fixture(scope="session")
def cluster():
    HOME.mkdir(parents=True, exist_ok=True)
    cluster = Cluster()
    cluster.create()
    _restore_template(cluster)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def server(cluster):
    server = Server(_write_config())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def admin(server):
    # The template has no demo data: admin / admin is the installation's own default.
    return Rpc(server.url, 1, "admin")
