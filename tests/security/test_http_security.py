"""Security through the real HTTP server: the access matrix sampled over JSON-RPC, and hostile
input on every portal route of the four addons.

Odoo 11's HttpCase serves requests on the registry's test cursor: the world is built there and
"committed" (a savepoint), everything is rolled back after each test.
"""
import base64
import re
from datetime import datetime, timedelta

import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.tests.common import at_install, post_install

from odoo.addons.aftersales_base.tests.common import AftersalesHttpCase

from security_world import (
    NO_MAIL, SECRET_A, blank_png, build_world, expected, load_matrix, password, signature_png)

# Models whose cells are sampled over HTTP: everything the portal can reach, and internal
# documents whose leak across companies would matter.
HTTP_MODELS = (
    "aftersales.archive", "aftersales.ticket", "aftersales.service.record",
    "aftersales.service.record.change", "aftersales.visit", "aftersales.warranty",
    "aftersales.parts.request", "aftersales.warranty.policy",
    "aftersales.ticket.report",
)
HTTP_PERSONAS = ("portal_a", "portal_b", "user", "other_company")
WRITE_FIELDS = ("name", "description", "note")
HOSTILE_TEXT = '<script>alert("x")</script><img src=x onerror="alert(1)">'
BAD_IDS = ("0", "99999999", "2147483647", "2147483648", "99999999999")
BAD_TOKENS = ("", "bogus", "' OR 1=1 --", "%00", "a" * 300)
BUSINESS_ERRORS = ("odoo.exceptions.AccessError", "odoo.exceptions.UserError",
                   "odoo.exceptions.ValidationError", "odoo.exceptions.except_orm",
                   "odoo.exceptions.MissingError")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
BAD_ARCHIVE_IDS = ("", "abc", "-1", "1e3", "99999999999999999999", "0x10", "1; drop table x")


@at_install(False)
@post_install(True)
class SecurityHttpCase(AftersalesHttpCase):

    def setUp(self):
        super().setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, dict(NO_MAIL))
        self.matrix = load_matrix()
        self.users, self.samples, self.extra = build_world(self.env, prefix="http")
        self.db = self.env.cr.dbname
        self.env.cr.commit()  # TestCursor: moves its savepoint only

    # Helpers

    def _session(self, persona=None):
        """A browser session, logged in as `persona` (none: the public visitor)."""
        session = requests.Session()
        if persona and persona != "public":
            user = self.users[persona]
            result = session.post(self._url("/web/session/authenticate"), json={
                "jsonrpc": "2.0", "method": "call", "params": {
                    "db": self.db, "login": user.login, "password": password(user.login)}},
                timeout=30).json()
            self.assertEqual(result.get("result", {}).get("uid"), user.id, persona)
        return session

    def _rpc(self, session, url, params):
        response = session.post(self._url(url), json={
            "jsonrpc": "2.0", "method": "call", "params": params}, timeout=60)
        self.env.clear()
        return response.json()

    def _call_kw(self, session, model, method, args, kwargs=None):
        return self._rpc(session, "/web/dataset/call_kw", {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {}})

    def _execute_kw(self, persona, model, method, args, kwargs=None):
        user = self.users[persona]
        return self._rpc(requests, "/jsonrpc", {
            "service": "object", "method": "execute_kw",
            "args": [self.db, user.id, password(user.login), model, method, args,
                     kwargs or {}]})

    @staticmethod
    def _refused(answer):
        error = answer.get("error")
        return bool(error) and error["data"]["name"] in (
            "odoo.exceptions.AccessError", "odoo.exceptions.AccessDenied",
            "odoo.http.SessionExpiredException", "odoo.exceptions.UserError")

    @staticmethod
    def _read_field(record):
        field = record._fields.get(record._rec_name)
        if field and field.store:
            return field.name
        return next(name for name, field in record._fields.items()
                    if field.store and name != "id" and field.type in ("char", "date", "many2one"))

    def _write_vals(self, record):
        for name in WRITE_FIELDS:
            field = record._fields.get(name)
            if field and field.store and field.type in ("char", "text"):
                return {name: record[name] or "x"}
        return {}

    def _get(self, session, path, **kw):
        response = session.get(self._url(path), timeout=60, **kw)
        self.env.clear()
        return response

    def _post(self, session, path, **kw):
        response = session.post(self._url(path), timeout=60, **kw)
        self.env.clear()
        return response

    def _csrf(self, session, path):
        # one token per session serves every form of it
        if getattr(session, "csrf_token", None):
            return session.csrf_token
        page = self._get(session, path)
        self.assertEqual(page.status_code, 200, path)
        session.csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return session.csrf_token

    def _tickets(self, partner):
        return self.env["aftersales.ticket"].search([("partner_id", "=", partner.id)])


class TestMatrixOverHttp(SecurityHttpCase):
    """The matrix cells again, through /web/dataset/call_kw and /jsonrpc execute_kw."""

    def test_matrix_cells_over_json_rpc(self):
        self.maxDiff = None
        mismatches, checked = [], 0
        for persona in HTTP_PERSONAS:
            session = self._session(persona)
            for model in HTTP_MODELS:
                sample = self.samples[model]
                can_read = expected(self.matrix, model, persona, "read")
                # Odoo 11 answers a read of "id" alone without checking the rules (it only
                # echoes the id asked for): read a real column.
                fields = [self._read_field(sample)]
                for answer in (
                        self._call_kw(session, model, "read", [sample.ids, fields]),
                        self._execute_kw(persona, model, "read", [sample.ids, fields])):
                    checked += 1
                    got = "result" in answer and [r["id"] for r in answer["result"]] == sample.ids
                    if got != can_read or (not got and not self._refused(answer)):
                        mismatches.append((persona, model, "read", answer))
                # search: what the persona lists, not only what it opens
                answer = self._execute_kw(persona, model, "search", [[("id", "=", sample.id)]])
                checked += 1
                if self._refused(answer):
                    found = False
                else:
                    found = answer["result"] == sample.ids
                if found != can_read:
                    mismatches.append((persona, model, "search", answer))
                for operation in ("write", "unlink"):
                    if expected(self.matrix, model, persona, operation):
                        answer = self._execute_kw(persona, model, "check_access_rule",
                                                  [sample.ids, operation])
                        checked += 1
                        if "error" in answer:
                            mismatches.append((persona, model, operation, answer))
                        continue
                    # A refused cell: the real call must fail and change nothing.
                    if operation == "write":
                        answer = self._execute_kw(persona, model, "write",
                                                  [sample.ids, self._write_vals(sample)])
                    else:
                        answer = self._execute_kw(persona, model, "unlink", [sample.ids])
                    checked += 1
                    if not self._refused(answer) or not sample.exists():
                        mismatches.append((persona, model, operation, answer))
        self.assertEqual(mismatches, [])
        self.assertGreaterEqual(checked, 4 * len(HTTP_MODELS) * 5)

    def test_public_visitor_reaches_no_model(self):
        session = self._session()
        for model in HTTP_MODELS:
            answer = self._call_kw(session, model, "search_read", [[]], {"fields": ["id"]})
            self.assertTrue(self._refused(answer), model)
        public = self.users["public"]
        answer = self._rpc(requests, "/jsonrpc", {
            "service": "object", "method": "execute_kw",
            "args": [self.db, public.id, "", "aftersales.ticket", "search", [[]], {}]})
        self.assertIn("error", answer)
        self.assertNotIn("result", answer)

    def test_portal_tickets_with_portal_rights_cannot_be_created_over_rpc(self):
        before = self._tickets(self.extra["customer_a"])
        answer = self._execute_kw("portal_a", "aftersales.ticket", "create", [{
            "partner_id": self.extra["customer_b"].id, "description": "forged"}])
        self.assertTrue(self._refused(answer))
        self.assertEqual(self._tickets(self.extra["customer_a"]), before)
        self.assertFalse(self._tickets(self.extra["customer_b"]).filtered(
            lambda t: t.description == "forged"))


class TestHostilePortalInput(SecurityHttpCase):
    """Every portal route of the four addons with what an attacker would send."""

    def _detail_routes(self, ids):
        record, ticket, unit = ids
        return [
            "/my/units/%s" % unit,
            "/my/tickets/%s" % ticket,
            "/my/service_records/%s" % record,
            "/my/service_records/%s/sign" % record,
            "/my/service_records/%s/pdf" % record,
        ]

    def test_guessed_ids_are_not_found(self):
        """Customer B guesses A's ids and ids that do not exist: 404, nothing of A shown."""
        session = self._session("portal_b")
        ids = [(str(self.samples["aftersales.service.record"].id),
                str(self.samples["aftersales.ticket"].id),
                str(self.samples["aftersales.archive"].id))]
        ids += [(bad, bad, bad) for bad in BAD_IDS]
        tried = 0
        for triple in ids:
            for path in self._detail_routes(triple):
                page = self._get(session, path)
                tried += 1
                self.assertEqual(page.status_code, 404, path)
                self.assertNotIn(SECRET_A, page.text, path)
                self.assertNotIn("spindle bearing of A", page.text, path)
        self.assertEqual(tried, 5 * (len(BAD_IDS) + 1))

    def test_lists_show_own_documents_only(self):
        """Every /my list (their sudo() only displays what was searched with the user's
        rights): customer A sees its documents, customer B none of them."""
        names = [self.samples[model].name for model in (
            "aftersales.archive", "aftersales.ticket", "aftersales.service.record",
            "aftersales.warranty", "aftersales.visit")]
        paths = ("/my/units", "/my/tickets", "/my/service_records", "/my/warranties",
                 "/my/visits")
        for persona, shown in (("portal_a", True), ("portal_b", False)):
            session = self._session(persona)
            for path, name in zip(paths, names):
                page = self._get(session, path)
                self.assertEqual(page.status_code, 200, path)
                self.assertEqual(name in page.text, shown, (persona, path, name))
            unit = self._get(session, "/my/units/%s" % self.samples["aftersales.archive"].id)
            self.assertEqual(unit.status_code, 200 if shown else 404)

    def test_lists_with_hostile_paging_and_sorting(self):
        session = self._session("portal_b")
        for path in ("/my/units", "/my/tickets", "/my/service_records", "/my/warranties",
                     "/my/visits"):
            for query in ("/page/999999", "?sortby=%3Cscript%3Ealert(1)%3C/script%3E",
                          "?sortby=name%20desc;drop"):
                url = path + query if query.startswith("?") else path + query
                page = self._get(session, url)
                self.assertEqual(page.status_code, 200, url)
                self.assertNotIn("<script>alert(1)</script>", page.text, url)
                self.assertNotIn(SECRET_A, page.text, url)
            # a page number that is not a number is not a route
            self.assertEqual(self._get(session, path + "/page/abc").status_code, 404, path)

    def test_logged_out_visitor(self):
        session = self._session()
        record = self.samples["aftersales.service.record"]
        for path in ("/my/units", "/my/tickets", "/my/tickets/new", "/my/service_records",
                     "/my/warranties", "/my/visits", "/aftersales_parts/usage.xlsx",
                     "/my/tickets/%s" % self.samples["aftersales.ticket"].id):
            page = self._get(session, path)
            self.assertTrue(page.url.startswith(self._url("/web/login")), path)
            self.assertNotIn(SECRET_A, page.text, path)
        for path in self._detail_routes((record.id, 0, 0))[2:]:
            page = self._get(session, path)
            self.assertEqual(page.status_code, 404, path)

    def test_wrong_or_missing_access_tokens(self):
        session = self._session()
        record = self.samples["aftersales.service.record"]
        other_token = self.env["aftersales.service.record"].create({
            "archive_id": self.extra["archive_b"].id, "partner_id": self.extra["customer_b"].id,
            "work_done": "B"}).access_token
        self.env.cr.commit()
        for token in BAD_TOKENS + (other_token,):
            for path in self._detail_routes((record.id, 0, 0))[2:]:
                page = self._get(session, path, params={"access_token": token})
                self.assertEqual(page.status_code, 404, (path, token))
                self.assertNotIn("spindle bearing of A", page.text)
            answer = self._rpc(session, "/my/service_records/%s/accept" % record.id, {
                "access_token": token, "partner_name": "Intruder",
                "signature": signature_png()})
            self.assertIn("error", answer.get("result", answer))
        # issue 14: a token of another JSON type is a wrong token, not a server error
        for token in (12345, ["x"], {"token": record.access_token}, True):
            answer = self._rpc(session, "/my/service_records/%s/accept" % record.id, {
                "access_token": token, "partner_name": "Intruder",
                "signature": signature_png()})
            self.assertEqual(answer.get("result", {}).get("error"),
                             "This service record does not exist or is not yours.", token)
        record.invalidate_cache()
        self.assertEqual(record.state, "to_sign")
        self.assertFalse(record.signer_name)

    def test_missing_or_wrong_csrf_token_writes_nothing(self):
        session = self._session("portal_a")
        ticket = self.samples["aftersales.ticket"]
        before = self._tickets(self.extra["customer_a"])
        followers = ticket.message_partner_ids
        for data in ({}, {"csrf_token": "forged"}):
            response = self._post(session, "/my/tickets/new", data=dict(data, **{
                "archive_id": str(self.samples["aftersales.archive"].id),
                "description": "Without a valid token"}))
            self.assertEqual(response.status_code, 400)
            response = self._post(session, "/my/tickets/%s/follow" % ticket.id,
                                  data=dict(data, follow="0"))
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self._tickets(self.extra["customer_a"]), before)
        ticket.invalidate_cache()
        self.assertEqual(ticket.message_partner_ids, followers)

    def _new_ticket(self, session, files=None, **data):
        csrf = self._csrf(session, "/my/tickets/new")
        values = {"csrf_token": csrf, "archive_id": str(self.samples["aftersales.archive"].id),
                  "description": "Coolant leak"}
        values.update(data)
        return self._post(session, "/my/tickets/new", data=values, files=files)

    def test_form_sent_twice_gives_one_ticket(self):
        """Issue 14, item 4: a double click or a reload of the sent form: one request, and
        both answers lead to it."""
        session = self._session("portal_a")
        before = self._tickets(self.extra["customer_a"])
        page = self._get(session, "/my/tickets/new")
        token = re.search(r'name="form_token" value="([0-9a-f]{32})"', page.text).group(1)
        first = self._new_ticket(session, form_token=token)
        second = self._new_ticket(session, form_token=token)
        created = self._tickets(self.extra["customer_a"]) - before
        self.assertEqual(len(created), 1)
        self.assertTrue(first.url.endswith("/my/tickets/%s" % created.id), first.url)
        self.assertEqual(second.url, first.url)
        # a new form is a new request; a forged token counts as no token
        self._new_ticket(session, form_token=re.search(
            r'name="form_token" value="([0-9a-f]{32})"',
            self._get(session, "/my/tickets/new").text).group(1))
        self._new_ticket(session, form_token="' OR 1=1 --")
        self.assertEqual(len(self._tickets(self.extra["customer_a"]) - before), 3)

    def test_new_ticket_refuses_wrong_units(self):
        session = self._session("portal_a")
        before = self._tickets(self.extra["customer_a"])
        for archive_id in BAD_ARCHIVE_IDS + (str(self.extra["archive_b"].id),):
            page = self._new_ticket(session, archive_id=archive_id)
            self.assertEqual(page.status_code, 200, archive_id)
            self.assertIn("Choose one of your units.", page.text, archive_id)
        self.assertEqual(self._tickets(self.extra["customer_a"]), before)
        self.assertEqual(self._tickets(self.extra["customer_b"]), self.extra["ticket_b"])

    def test_new_ticket_refuses_bad_attachments(self):
        session = self._session("portal_a")
        before = self._tickets(self.extra["customer_a"])
        cases = (
            ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024), "too large"),
            ("empty.png", b"", "The attachment is empty."),
            ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "is none of these"),
            ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "is none of these"),
            ("page.html", b"<html><script>alert(1)</script></html>", "is none of these"),
            ("page.txt", b"\x00\x01\x02binary", "is none of these"),
            ("logo.svg", b"<svg onload='alert(1)'/>", "is none of these"),
        )
        for name, content, message in cases:
            page = self._new_ticket(session, files={"attachment": (name, content, "image/png")})
            self.assertEqual(page.status_code, 200, name)
            self.assertIn(message, page.text, name)
        self.assertEqual(self._tickets(self.extra["customer_a"]), before)
        # What is accepted: a photo and a program listing.
        for name, content in (("spindle.png", base64.b64decode(signature_png())),
                              ("O1234.nc", "G0 X0 Y0\n（主轴）M03 S6000\n".encode("utf-8"))):
            page = self._new_ticket(session, files={"attachment": (name, content, "x/y")})
            self.assertNotIn("is none of these", page.text, name)
        self.assertEqual(len(self._tickets(self.extra["customer_a"]) - before), 2)

    def test_disguised_uploads_are_refused(self):
        """Issue 14, item 2: the type comes from the content and the name together; markup is
        refused whatever the first bytes say."""
        session = self._session("portal_a")
        before = self._tickets(self.extra["customer_a"])
        markup = b"<html><script>alert(document.cookie)</script></html>"
        for name, content in (("evil.html", b"BM" + markup),
                              ("evil.bmp", b"BM" + markup),
                              ("evil.svg", b"%PDF-1.4 <svg onload='alert(1)'/>"),
                              ("evil.png", b"\x89PNG\r\n\x1a\n" + markup),
                              ("manual.png", PDF),
                              ("notes.txt", b"<script>alert(1)</script>"),
                              ("notes.txt", b"<?xml version='1.0'?><svg/>"),
                              ("manual.pdf\0.html", PDF)):
            page = self._new_ticket(session, files={"attachment": (name, content, "image/png")})
            self.assertEqual(page.status_code, 200, name)
            self.assertIn("is none of these", page.text, name)
        self.assertEqual(self._tickets(self.extra["customer_a"]), before)

    def test_uploads_are_stored_as_checked_and_served_safely(self):
        """Issue 14, item 2: what is stored is the checked type; staff download a customer's
        file unless it is a photo, which opens as the image it is."""
        portal = self._session("portal_a")
        before = self._tickets(self.extra["customer_a"])
        for name, content in (("manual.pdf", PDF), ("notes.txt", b"Spindle noise at 6000 rpm"),
                              ("spindle.png", base64.b64decode(signature_png()))):
            self._new_ticket(portal, files={"attachment": (name, content, "text/html")})
        attachments = (self._tickets(self.extra["customer_a"]) - before).mapped(
            "message_ids.attachment_ids")
        types = {a.datas_fname: a.mimetype for a in attachments}
        self.assertEqual(types, {"manual.pdf": "application/pdf", "notes.txt": "text/plain",
                                 "spindle.png": "image/png"})
        staff = self._session("user")
        for attachment in attachments:
            response = self._get(staff, "/web/content/%s" % attachment.id)
            self.assertEqual(response.status_code, 200, attachment.datas_fname)
            self.assertEqual(response.headers["Content-Type"].split(";")[0],
                             attachment.mimetype)
            self.assertEqual(response.headers.get("X-Content-Type-Options"), "nosniff")
            disposition = response.headers.get("Content-Disposition", "")
            if attachment.mimetype.startswith("image/"):
                self.assertNotIn("attachment", disposition)
            else:
                self.assertTrue(disposition.startswith("attachment"), attachment.datas_fname)

    def test_staff_only_fields_are_neither_read_nor_searched_by_customers(self):
        """Issue 14, item 3: costs, tokens and the team's analysis of customer A's own
        documents: not readable, and not found by searching, sorting or grouping on them (a
        binary search would recover the value)."""
        session = self._session("portal_a")
        record = self.samples["aftersales.service.record"]
        ticket = self.samples["aftersales.ticket"]
        cases = (("aftersales.service.record", record, "cost_total", ">=", 0),
                 ("aftersales.service.record", record, "access_token", "=like",
                  record.access_token[:1] + "%"),
                 ("aftersales.service.record", record, "cost_overrun_reason", "!=", False),
                 ("aftersales.ticket", ticket, "analysis", "!=", False),
                 ("aftersales.ticket", ticket, "root_cause", "!=", False),
                 ("aftersales.ticket", ticket, "user_id", "!=", False))
        for model, sample, field, operator, value in cases:
            what = "%s.%s" % (model, field)
            self.assertTrue(self._refused(self._call_kw(
                session, model, "search", [[(field, operator, value)]])), what)
            self.assertTrue(self._refused(self._call_kw(
                session, model, "search_read", [[]], {"fields": ["name"],
                                                      "order": "%s desc" % field})), what)
            self.assertTrue(self._refused(self._call_kw(
                session, model, "read_group", [[], ["name"], [field]])), what)
            self.assertTrue(self._refused(self._call_kw(
                session, model, "read", [sample.ids, [field]])), what)
            # what the customer may see of his own document still reads
            answer = self._call_kw(session, model, "search_read", [[("id", "=", sample.id)],
                                                                   ["name"]])
            self.assertEqual([r["id"] for r in answer["result"]], sample.ids, what)

    def test_signing_link_is_not_handed_to_customers(self):
        """Issue 14, item 3: the action that opens the tablet's signing page returns the
        record's token: refused to the customer, who signs from his own page."""
        record = self.samples["aftersales.service.record"]
        answer = self._call_kw(self._session("portal_a"), "aftersales.service.record",
                               "action_open_signature_page", [record.ids])
        self.assertTrue(self._refused(answer))
        self.assertNotIn(record.access_token, str(answer))

    def test_html_in_text_fields_is_stored_as_text_and_shown_escaped(self):
        session = self._session("portal_a")
        page = self._new_ticket(session, description=HOSTILE_TEXT,
                                files={"attachment": ('<img src=x onerror=alert(2)>.png',
                                                      base64.b64decode(signature_png()),
                                                      "image/png")})
        ticket = self._tickets(self.extra["customer_a"]) - self.samples["aftersales.ticket"]
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.description, HOSTILE_TEXT)  # kept as the customer typed it
        page = self._get(session, "/my/tickets/%s" % ticket.id)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('<script>alert("x")', page.text)
        self.assertNotIn("<img src=x onerror", page.text)
        self.assertIn("&lt;script&gt;", page.text)
        # The signer's name, typed on the signature pad, in the page and in the chatter.
        record = self.samples["aftersales.service.record"]
        answer = self._rpc(session, "/my/service_records/%s/accept" % record.id, {
            "partner_name": HOSTILE_TEXT, "signature": signature_png()})
        self.assertIn("success", answer["result"])
        page = self._get(session, "/my/service_records/%s" % record.id)
        self.assertNotIn('<script>alert("x")', page.text)
        self.assertIn("&lt;script&gt;", page.text)
        record.invalidate_cache()
        for message in record.message_ids | record.archive_id.message_ids:
            self.assertNotIn("<script", message.body)
            self.assertNotIn("<img", message.body)
        self.assertTrue(any("&lt;script&gt;" in m.body for m in record.message_ids))

    def test_chatter_post_is_sanitized_and_limited_to_own_tickets(self):
        session = self._session("portal_a")
        ticket = self.samples["aftersales.ticket"]
        csrf = self._csrf(session, "/my/tickets/%s" % ticket.id)
        self._post(session, "/mail/chatter_post", data={
            "csrf_token": csrf, "res_model": "aftersales.ticket", "res_id": ticket.id,
            "message": HOSTILE_TEXT})
        ticket.invalidate_cache()
        bodies = ticket.message_ids.mapped("body")
        self.assertFalse([body for body in bodies if "<script" in body or "onerror" in body])
        before = self.extra["ticket_b"].message_ids
        self._post(session, "/mail/chatter_post", data={
            "csrf_token": csrf, "res_model": "aftersales.ticket",
            "res_id": self.extra["ticket_b"].id, "message": "Written into B"})
        self.extra["ticket_b"].invalidate_cache()
        self.assertEqual(self.extra["ticket_b"].message_ids, before)

    def test_signature_refuses_bad_content(self):
        session = self._session("portal_a")
        record = self.samples["aftersales.service.record"]
        url = "/my/service_records/%s/accept" % record.id
        for name, signature in (("", signature_png()), ("   ", signature_png()),
                                ("Wang", ""), ("Wang", "not base64 at all"),
                                ("Wang", base64.b64encode(b"MZ" + b"\0" * 100).decode()),
                                ("Wang", "R0lGODlh"), ("Wang", None),
                                # issue 14: a PNG header alone, a blank pad, typed values
                                ("Wang", "iVBORw0KGgo="), ("Wang", blank_png()),
                                ("Wang", 12345), ("Wang", ["iVBORw0KGgo="]),
                                (12345, signature_png()), (["Wang"], signature_png()),
                                ({"name": "Wang"}, signature_png())):
            answer = self._rpc(session, url, {"partner_name": name, "signature": signature})
            self.assertIn("error", answer.get("result") or answer, (name, signature))
        record.invalidate_cache()
        self.assertEqual(record.state, "to_sign")
        self.assertFalse(record.signature)

    def test_signing_link_dies_once_signed(self):
        """Issue 14: the tablet's link signs once; afterwards it opens nothing, in words."""
        record = self.samples["aftersales.service.record"]
        token = record.access_token
        visitor = self._session()
        answer = self._rpc(visitor, "/my/service_records/%s/accept" % record.id, {
            "access_token": token, "partner_name": "Wang", "signature": signature_png()})
        self.assertIn("success", answer["result"])
        # logged out: the signed record is shown after logging in, not through the link
        self.assertTrue(answer["result"]["redirect_url"].startswith("/web/login?redirect="))
        record.invalidate_cache()
        signed_on = record.signed_on
        self.assertEqual(record.state, "signed")
        for path in self._detail_routes((record.id, 0, 0))[2:]:
            page = self._get(visitor, path, params={"access_token": token})
            self.assertEqual(page.status_code, 410, path)
            self.assertIn("This link no longer works", page.text)
            self.assertNotIn("spindle bearing of A", page.text)
        answer = self._rpc(visitor, "/my/service_records/%s/accept" % record.id, {
            "access_token": token, "partner_name": "Intruder", "signature": signature_png()})
        self.assertIn("expired or the record is already signed", answer["result"]["error"])
        record.invalidate_cache()
        self.assertEqual((record.signer_name, record.signed_on), ("Wang", signed_on))
        # the customer himself still opens his signed record
        page = self._get(self._session("portal_a"), "/my/service_records/%s" % record.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("spindle bearing of A", page.text)

    def test_signing_link_expires(self):
        """Issue 14: a link older than the company's days (default 30) opens nothing and
        signs nothing; the engineer opening the signing page again issues a new one."""
        record = self.samples["aftersales.service.record"]
        self.assertEqual(record.company_id.aftersales_signing_link_days, 30)
        deadline = fields.Datetime.from_string(record.access_token_deadline)
        self.assertAlmostEqual((deadline - datetime.utcnow()).total_seconds(),
                               30 * 86400, delta=600)
        old_token = record.access_token
        record._write_owned({"access_token_deadline": fields.Datetime.to_string(
            datetime.utcnow() - timedelta(minutes=1))})
        self.env.cr.commit()
        visitor = self._session()
        for path in self._detail_routes((record.id, 0, 0))[2:]:
            page = self._get(visitor, path, params={"access_token": old_token})
            self.assertEqual(page.status_code, 410, path)
            self.assertNotIn("spindle bearing of A", page.text)
        answer = self._rpc(visitor, "/my/service_records/%s/accept" % record.id, {
            "access_token": old_token, "partner_name": "Wang", "signature": signature_png()})
        self.assertIn("error", answer["result"])
        record.invalidate_cache()
        self.assertEqual(record.state, "to_sign")
        # the engineer, with the customer in front of him, opens the signing page again
        answer = self._call_kw(self._session("engineer"), "aftersales.service.record",
                               "action_open_signature_page", [record.ids])
        record.invalidate_cache()
        self.assertNotEqual(record.access_token, old_token)
        self.assertIn(record.access_token, answer["result"]["url"])
        self.assertEqual(self._get(visitor, answer["result"]["url"]).status_code, 200)
        page = self._get(visitor, "/my/service_records/%s/sign" % record.id,
                         params={"access_token": old_token})
        self.assertEqual(page.status_code, 404)

    def test_signing_link_cannot_be_extended_over_rpc(self):
        """The cheat: an engineer or manager writes a later deadline or a token of his own
        choice; refused, nothing changed."""
        record = self.samples["aftersales.service.record"]
        before = (record.access_token, record.access_token_deadline)
        for persona in ("engineer", "manager", "portal_a"):
            for vals in ({"access_token_deadline": "2099-01-01 00:00:00"},
                         {"access_token": "chosen-by-me"}):
                answer = self._call_kw(self._session(persona), "aftersales.service.record",
                                       "write", [record.ids, vals])
                self.assertTrue(self._refused(answer), (persona, vals))
        record.invalidate_cache()
        self.assertEqual((record.access_token, record.access_token_deadline), before)

    def test_signing_link_dies_when_sent_back_to_draft(self):
        record = self.samples["aftersales.service.record"]
        token = record.access_token
        answer = self._call_kw(self._session("engineer"), "aftersales.service.record",
                               "action_back_to_draft", [record.ids])
        self.assertNotIn("error", answer)
        page = self._get(self._session(), "/my/service_records/%s/sign" % record.id,
                         params={"access_token": token})
        self.assertEqual(page.status_code, 410)

    def test_parts_usage_export_is_for_managers_only(self):
        for persona, status in (("portal_a", 403), ("user", 403), ("manager", 200)):
            response = self._get(self._session(persona), "/aftersales_parts/usage.xlsx")
            self.assertEqual(response.status_code, status, persona)


class TestHostileBackendInput(SecurityHttpCase):
    """Out-of-range values and units that do not exist, sent over JSON-RPC by an after-sales
    user or manager: a clear error, nothing written."""

    def _refused_create(self, persona, model, vals):
        count = self.env[model].search_count([])
        answer = self._execute_kw(persona, model, "create", [vals])
        self.assertIn("error", answer, (model, vals))
        self.assertTrue(answer["error"]["data"]["message"], (model, vals))
        # a business error, translated for the user: never a server error with a traceback
        self.assertIn(answer["error"]["data"]["name"], BUSINESS_ERRORS, (model, vals))
        self.assertEqual(self.env[model].search_count([]), count, (model, vals))
        return answer["error"]["data"]["message"]

    def test_out_of_range_values_are_refused(self):
        archive = self.samples["aftersales.archive"]
        customer = self.extra["customer_a"]
        request = self.samples["aftersales.parts.request"]
        part = request.line_ids[0].product_id
        cases = [
            ("user", "aftersales.ticket", {"partner_id": customer.id,
                                           "archive_id": 99999999, "description": "x"}),
            ("user", "aftersales.ticket", {"partner_id": self.extra["customer_b"].id,
                                           "archive_id": archive.id, "description": "x"}),
            ("user", "aftersales.service.record", {
                "archive_id": archive.id, "partner_id": customer.id,
                "date_arrival": "2026-11-20 05:00:00", "date_departure": "2026-11-20 01:00:00"}),
            ("user", "aftersales.service.record", {
                "archive_id": archive.id, "partner_id": customer.id,
                "date_arrival": "2026-13-45 25:00:00"}),
            ("user", "aftersales.parts.request.line", {
                "request_id": request.id, "product_id": part.id, "quantity": 0}),
            ("user", "aftersales.parts.request.line", {
                "request_id": request.id, "product_id": part.id, "quantity": -5}),
            ("user", "aftersales.parts.request.line", {
                "request_id": request.id, "product_id": part.id, "quantity": "many"}),
            ("user", "aftersales.core.return", {
                "partner_id": customer.id, "product_id": part.id, "quantity": -1}),
            ("manager", "aftersales.warranty", {
                "archive_id": archive.id, "date_start": "2027-01-01",
                "date_end": "2026-01-01", "contract_type": "extended"}),
            ("user", "aftersales.visit", {
                "partner_id": customer.id, "planned_date": "2026-03-01",
                "deadline": "2026-02-01"}),
            ("user", "aftersales.visit", {
                "partner_id": customer.id, "score_service": 9}),
            ("manager", "aftersales.warranty.policy", {
                "name": "Negative", "replacement_months": -1, "repair_months": 24}),
            ("manager", "aftersales.visit.rule", {
                "name": "Bad months", "rule_type": "campaign", "month_start": 13}),
            ("user", "aftersales.training", {"archive_id": 99999999}),
            # issue 14, item 4: what the database would have refused with a server error, and
            # dates and quantities no business has
            ("hotline", "aftersales.ticket", {"partner_id": customer.id, "archive_id": archive.id,
                                              "description": "Spindle\x00 noise"}),
            ("hotline", "aftersales.ticket", {"partner_id": customer.id,
                                              "archive_id": 99999999999, "description": "x"}),
            ("hotline", "aftersales.visit", {"partner_id": customer.id,
                                             "planned_date": "0001-01-01",
                                             "deadline": "0001-01-10"}),
            ("engineer", "aftersales.training", {"archive_id": archive.id,
                                                 "date": "1900-01-01"}),
            ("engineer", "aftersales.parts.request.line", {
                "request_id": request.id, "product_id": part.id, "quantity": 1e20}),
        ]
        for persona, model, vals in cases:
            if model in self.env and all(k in self.env[model]._fields for k in vals):
                self._refused_create(persona, model, vals)
            else:
                self.fail("%s has no field among %s" % (model, sorted(vals)))
        self.assertEqual(len(cases), 19)

    def test_out_of_range_values_are_refused_on_write(self):
        """Issue 14, item 4: the same bounds when an existing document is changed over
        JSON-RPC by the role that may edit it; nothing changed."""
        ticket = self.samples["aftersales.ticket"]
        visit = self.samples["aftersales.visit"]
        sample = self.samples["aftersales.parts.request"]
        line = sample.copy({"line_ids": [(0, 0, {
            "product_id": sample.line_ids[0].product_id.id, "quantity": 1.0})]}).line_ids[0]
        record = self.env["aftersales.service.record"].create({
            "archive_id": self.samples["aftersales.archive"].id,
            "partner_id": self.extra["customer_a"].id, "work_done": "draft"})
        self.env.cr.commit()
        cases = [
            ("hotline", ticket, {"description": "Spindle\x00 noise"}),
            ("hotline", visit, {"planned_date": "0001-01-01"}),
            ("hotline", visit, {"deadline": "2150-01-01"}),
            ("engineer", line, {"quantity": 1e20}),
            ("engineer", record, {"cost_vehicle": 1e15}),
            ("engineer", record, {"work_done": "x\x00y"}),
        ]
        for persona, document, vals in cases:
            before = document.read(list(vals))[0]
            answer = self._execute_kw(persona, document._name, "write", [document.ids, vals])
            self.assertIn("error", answer, (document._name, vals))
            self.assertEqual(answer["error"]["data"]["name"],
                             "odoo.exceptions.ValidationError", (document._name, vals, answer))
            document.invalidate_cache()
            self.assertEqual(document.read(list(vals))[0], before, (document._name, vals))

    def test_refused_ticket_uses_no_sequence_number(self):
        """Issue 14, item 4: a request refused for its values leaves no gap in the numbers."""
        sequence = self.env["ir.sequence"].search([("code", "=", "aftersales.ticket")], limit=1)
        self.assertTrue(sequence)
        before = sequence.number_next_actual
        self._refused_create("hotline", "aftersales.ticket", {
            "partner_id": self.extra["customer_a"].id, "archive_id": 99999999999,
            "description": "Spindle\x00 noise"})
        sequence.invalidate_cache()
        self.assertEqual(sequence.number_next_actual, before)


class TestSaleOrdersOfServedUnits(SecurityHttpCase):
    """Issue 14, item 3: after-sales staff read the orders of the units they serve, with
    their amounts, not every order of the company; salesmen keep what sales gives them."""

    def setUp(self):
        super().setUp()
        product = self.env["product.product"].create({
            "name": "Order Line Product", "type": "consu", "list_price": 88000.0})
        customer = self.extra["customer_b"]
        # Odoo 11 creates one record per call
        self.served, self.unrelated = (self.env["sale.order"].create({
            "partner_id": customer.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})]})
            for _ in range(2))
        self.extra["archive_b"]._write_owned({"sale_order_id": self.served.id})
        self.salesman = self.env["res.users"].create({
            "name": "Hotline Salesman", "login": "http_hotline_salesman",
            "password": "http_hotline_salesman-pwd",
            "groups_id": [(6, 0, [self.env.ref("aftersales_base.group_aftersales_hotline").id,
                                  self.env.ref("sales_team.group_sale_salesman").id])]})
        self.unrelated.user_id = self.salesman
        self.users["hotline_salesman"] = self.salesman
        self.env.cr.commit()

    def test_staff_read_the_orders_of_served_units_only(self):
        # engineers, parts clerks and managers are also Odoo warehouse users (the repair and
        # parts flows), who read every order in Odoo: the rule takes nothing from them
        for persona in ("user", "hotline", "quality"):
            found = self._execute_kw(persona, "sale.order", "search_read",
                                     [[("id", "in", (self.served | self.unrelated).ids)]],
                                     {"fields": ["amount_total"]})
            self.assertEqual([row["id"] for row in found["result"]], self.served.ids, persona)
            answer = self._execute_kw(persona, "sale.order", "read",
                                      [self.unrelated.ids, ["amount_total"]])
            self.assertTrue(self._refused(answer), persona)
            lines = self._execute_kw(persona, "sale.order.line", "search_read",
                                     [[("order_id", "in", (self.served | self.unrelated).ids)]],
                                     {"fields": ["price_unit"]})
            self.assertEqual([row["id"] for row in lines["result"]],
                             self.served.order_line.ids, persona)
            totals = self._execute_kw(persona, "sale.order", "read_group", [
                [("partner_id", "=", self.extra["customer_b"].id)], ["amount_total"], []])
            self.assertEqual(totals["result"][0]["amount_total"], self.served.amount_total,
                             persona)

    def test_a_salesman_keeps_his_own_orders(self):
        """Nothing taken away: the hotline member who also sells reads his own order without
        a unit (sales' rule) and the served one (ours), and writes only his own."""
        found = self._execute_kw("hotline_salesman", "sale.order", "search_read",
                                 [[("id", "in", (self.served | self.unrelated).ids)]],
                                 {"fields": ["name"]})
        self.assertEqual(sorted(row["id"] for row in found["result"]),
                         sorted((self.served | self.unrelated).ids))
        answer = self._execute_kw("hotline_salesman", "sale.order", "write",
                                  [self.served.ids, {"note": "changed by after-sales"}])
        self.assertTrue(self._refused(answer))
        self.served.invalidate_cache()
        self.assertFalse(self.served.note)

    def test_warehouse_roles_keep_what_odoo_gives_warehouse_users(self):
        for persona in ("engineer", "parts_clerk", "manager"):
            found = self._execute_kw(persona, "sale.order", "search_count",
                                     [[("id", "in", (self.served | self.unrelated).ids)]])
            self.assertEqual(found["result"], 2, persona)

    def test_office_roles_cannot_change_orders(self):
        for persona in ("user", "hotline", "quality"):
            answer = self._execute_kw(persona, "sale.order", "write",
                                      [self.served.ids, {"note": "cheat"}])
            self.assertTrue(self._refused(answer), persona)
        self.served.invalidate_cache()
        self.assertFalse(self.served.note)

