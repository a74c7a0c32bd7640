"""A test case that talks to this run's real Odoo server over JSON-RPC, as the roles of issue 13.

Odoo 11's HttpCase serves the requests on the registry's test cursor: the data built in setUp is
"committed" (a savepoint) and seen by the server; what a refused call wrote is rolled back by
the server, what an accepted call wrote stays, and the test reads it back as the superuser of
its own environment (never through the server).
Shared by tests/security/test_cheats_rpc.py and tests/scenarios/test_role_scenario.py.
"""

from datetime import datetime, timedelta

import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.tests.common import at_install, post_install

from odoo.addons.aftersales_base.tests.common import AftersalesHttpCase

from guard_declarations import PORTAL_GROUPS, ROLE_GROUPS
from signatures import signature_png  # noqa: F401 (the scenario takes it from here)

NO_MAIL = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True,
           "no_reset_password": True}
# What a refusal looks like in a JSON-RPC error: a business error, never a traceback of another
# kind (a 500 of a KeyError or a psycopg2 error is a bug, not a refusal).
REFUSALS = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError",
            "odoo.exceptions.ValidationError", "odoo.exceptions.Warning",
            "odoo.exceptions.except_orm")


def password(login):
    return login + "-pwd"


@at_install(False)
@post_install(True)
class RpcCase(AftersalesHttpCase):
    """Users per role, sessions and the two JSON-RPC entry points."""

    # Which endpoint each role's calls take: both are exercised, neither twice per call.
    CALL_KW_ROLES = ("engineer", "quality", "general_manager")

    def setUp(self):
        super().setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, dict(NO_MAIL))
        self.db = self.env.cr.dbname
        self.calls = 0
        self._sessions = {}

    # People -----------------------------------------------------------------------------------

    def _make_user(self, login, groups, partner=None, company=None):
        company = company or self.env.ref("base.main_company")
        vals = {
            "name": login.replace("_", " ").title(), "login": login,
            "password": password(login), "email": "%s@example.com" % login,
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [self.env.ref(xmlid).id for xmlid in groups])],
        }
        if partner:
            vals["partner_id"] = partner.id
        return self.env["res.users"].with_context(**NO_MAIL).create(vals)

    def _make_unit(self, name, serial, customer, contact, site_address, delivered_days_ago=90):
        """A delivered unit of a new tracked product: its archive, for `customer`."""
        env = self.env
        product = env["product.product"].create({
            "name": name, "type": "product", "tracking": "serial", "aftersales_tracked": True})
        lot = env["stock.production.lot"].create({"name": serial, "product_id": product.id})
        return env["aftersales.archive"].create({
            "product_id": product.id, "lot_id": lot.id, "partner_id": customer.id,
            "contact_id": contact.id, "site_address": site_address,
            "delivery_date": fields.Date.to_string(
                datetime.now() - timedelta(days=delivered_days_ago))})

    def _make_role_users(self, prefix, portal_partner):
        """One user per role of issue 13 (only that role's group), and the portal customer."""
        users = {role: self._make_user("%s_%s" % (prefix, role), groups)
                 for role, groups in ROLE_GROUPS.items()}
        users["portal"] = self._make_user("%s_portal" % prefix, PORTAL_GROUPS,
                                          partner=portal_partner)
        return users

    # JSON-RPC -----------------------------------------------------------------------------------

    def _post(self, session, url, params):
        self.calls += 1
        response = session.post(self._url(url), json={
            "jsonrpc": "2.0", "method": "call", "params": params}, timeout=120)
        self.env.clear()
        return response.json()

    def _session(self, user):
        """A logged-in browser session of `user` (cached per user)."""
        if user.id not in self._sessions:
            session = requests.Session()
            answer = self._post(session, "/web/session/authenticate", {
                "db": self.db, "login": user.login, "password": password(user.login)})
            self.assertEqual(answer.get("result", {}).get("uid"), user.id, user.login)
            self._sessions[user.id] = session
        return self._sessions[user.id]

    def execute_kw(self, user, model, method, args, kwargs=None):
        """/jsonrpc, service object, with login and password."""
        return self._post(requests, "/jsonrpc", {
            "service": "object", "method": "execute_kw",
            "args": [self.db, user.id, password(user.login), model, method, args,
                     kwargs or {}]})

    def call_kw(self, user, model, method, args, kwargs=None):
        """/web/dataset/call_kw, as the web client does, in the user's session."""
        return self._post(self._session(user), "/web/dataset/call_kw/%s/%s" % (model, method), {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {}})

    def call(self, role, user, model, method, args, kwargs=None):
        """The endpoint of `role` (see CALL_KW_ROLES)."""
        if role in self.CALL_KW_ROLES:
            return self.call_kw(user, model, method, args, kwargs)
        return self.execute_kw(user, model, method, args, kwargs)

    def ok(self, answer, what=""):
        """The result of an accepted call (fails the test with the server's error otherwise)."""
        if "error" in answer:
            data = answer["error"].get("data", {})
            self.fail("%s refused: %s: %s" % (what, data.get("name"), data.get("message")))
        return answer.get("result")  # a method returning None answers without a result

    @staticmethod
    def refused(answer):
        """Refused with a business error (and not by some other exception)."""
        error = answer.get("error")
        return bool(error) and error.get("data", {}).get("name") in REFUSALS

    @staticmethod
    def describe(answer):
        if "error" in answer:
            data = answer["error"].get("data", {})
            return "%s: %s" % (data.get("name"), (data.get("message") or "")[:200])
        return "accepted (%r)" % (answer.get("result"),)

    def commit(self):
        """Let the server see what the test wrote (a savepoint of the test cursor)."""
        self.env.cr.commit()
