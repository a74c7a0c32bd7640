import base64
import json
import re

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests.common import at_install, post_install

from .common import AftersalesCase, AftersalesHttpCase, NO_MAIL
from .service_record_common import (
    create_customer, create_pending_record, create_record, create_ticket, create_unit,
    signature_png)


class TestPortalRecordRules(AftersalesCase):
    """Portal customers read their own commercial partner's records only (ORM level)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a, cls.contact_a, cls.portal_a = create_customer(
            cls.env, "Suzhou Test Parts", "Wang Test", "portal_rule_a")
        cls.company_b, cls.contact_b, cls.portal_b = create_customer(
            cls.env, "Ningbo Test Mould", "Li Test", "portal_rule_b")
        cls.unit_a = create_unit(
            cls.env, cls.product, "SN-PR-A", cls.company_a, cls.contact_a)
        cls.unit_b = create_unit(
            cls.env, cls.product, "SN-PR-B", cls.company_b, cls.contact_b)
        cls.ticket_a = create_ticket(cls.env, cls.unit_a)
        cls.ticket_b = create_ticket(cls.env, cls.unit_b)
        cls.record_a = create_pending_record(
            cls.env, cls.unit_a, cls.ticket_a, change_ids=[
            (0, 0, {"change_type": "part_replacement", "name": "Hose"})])
        cls.record_b = create_pending_record(cls.env, cls.unit_b, cls.ticket_b)
        cls.draft_a = create_record(cls.env, cls.unit_a, cls.ticket_a)

    def test_portal_user_sees_only_own_units_tickets_records(self):
        for model, own in (("aftersales.archive", self.unit_a),
                           ("aftersales.ticket", self.ticket_a),
                           ("aftersales.service.record", self.record_a)):
            found = self.env[model].sudo(self.portal_a).search([])
            self.assertEqual(found, own, model)
        self.assertEqual(
            self.env["aftersales.service.record.change"].sudo(self.portal_a).search([]),
            self.record_a.change_ids)

    def test_portal_user_cannot_read_other_customer_by_id(self):
        for record in (self.unit_b, self.ticket_b, self.record_b):
            self.assertTrue(record.sudo(self.portal_b).read(["name"]))
        for record in (self.unit_b, self.ticket_b, self.record_b):
            with self.assertRaises(AccessError):
                record.sudo(self.portal_a).read(["name"])

    def test_portal_user_does_not_see_drafts(self):
        with self.assertRaises(AccessError):
            self.draft_a.sudo(self.portal_a).read(["name"])

    def test_portal_user_cannot_write_or_create(self):
        with self.assertRaises(AccessError):
            self.ticket_a.sudo(self.portal_a).write({"description": "changed"})
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].sudo(self.portal_a).create({
                "partner_id": self.company_a.id, "description": "x"})
        with self.assertRaises(AccessError):
            self.record_a.sudo(self.portal_a).action_sign("Wang Test", signature_png())

    def test_portal_user_can_comment_on_own_ticket(self):
        self.ticket_a.sudo(self.portal_a).message_post(
            body="Still noisy this morning.", message_type="comment", subtype="mail.mt_comment")
        self.assertIn("Still noisy", self.ticket_a.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.ticket_b.sudo(self.portal_a).message_post(
                body="Not mine", message_type="comment", subtype="mail.mt_comment")


@at_install(False)
@post_install(True)
class TestPortalHttp(AftersalesHttpCase):
    """The /my pages through HTTP: isolation, ticket creation, signing, PDF."""

    def setUp(self):
        super().setUp()
        # Odoo 11: the HTTP server works on the registry's test cursor, not on self.cr;
        # build the fixtures there so that the requests see them.
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, dict(NO_MAIL))
        self.product = self.env["product.product"].create({
            "name": "Portal Test VMC", "type": "product", "tracking": "serial",
            "aftersales_tracked": True})
        self.company_a, self.contact_a, self.portal_a = create_customer(
            self.env, "Suzhou Http Parts", "Wang Http", "portal_http_a")
        self.company_b, self.contact_b, self.portal_b = create_customer(
            self.env, "Ningbo Http Mould", "Li Http", "portal_http_b")
        self.unit_a = create_unit(
            self.env, self.product, "SN-HTTP-A", self.company_a, self.contact_a)
        self.unit_b = create_unit(
            self.env, self.product, "SN-HTTP-B", self.company_b, self.contact_b)
        self.ticket_a = create_ticket(
            self.env, self.unit_a, description="Alarm 2041 on pallet changer")
        self.ticket_b = create_ticket(self.env, self.unit_b, description="Secret symptom of B")
        self.record_a = create_pending_record(self.env, self.unit_a, self.ticket_a)
        self.record_b = create_pending_record(self.env, self.unit_b, self.ticket_b,
                                              work_done="Confidential work for B")
        # A TestCursor "commit" only moves its savepoint (everything is rolled back after the
        # test): a request that fails rolls back to it and must not take the fixtures along.
        self.env.cr.commit()

    def url_open(self, url, data=None, timeout=20):
        response = super().url_open(url, data, timeout)
        self.env.clear()  # the server changed the records through its own env
        return response

    def _login(self, user):
        """Log in through the login form (HttpCase.authenticate reads another cursor)."""
        csrf = self._csrf("/web/login")
        self.url_open("/web/login", data={
            "csrf_token": csrf, "login": user.login, "password": user.login + "-pwd"})
        home = self.url_open("/my/home")
        self.assertTrue(home.url.endswith("/my/home"), "login failed for %s" % user.login)

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _json(self, url, **params):
        response = self.opener.post(
            self._url(url), timeout=20,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"})
        self.env.clear()
        return response.json()["result"]

    def _tickets_of(self, company):
        return self.env["aftersales.ticket"].search([("partner_id", "=", company.id)])

    def test_home_lists_the_customer_documents(self):
        self._login(self.portal_a)
        page = self.url_open("/my/home")
        self.assertEqual(page.status_code, 200)
        for url in ("/my/units", "/my/tickets", "/my/service_records"):
            self.assertIn(url, page.text)

    def test_lists_show_only_own_documents(self):
        self._login(self.portal_a)
        for url, own, other in (("/my/units", self.unit_a.name, self.unit_b.name),
                                ("/my/tickets", self.ticket_a.name, self.ticket_b.name),
                                ("/my/service_records", self.record_a.name, self.record_b.name)):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertIn(own, page.text, url)
            self.assertNotIn(other, page.text, url)

    def test_own_details_open(self):
        self._login(self.portal_a)
        page = self.url_open("/my/tickets/%s" % self.ticket_a.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Alarm 2041 on pallet changer", page.text)
        self.assertIn('id="discussion"', page.text)  # the portal chatter
        self.assertEqual(self.url_open("/my/units/%s" % self.unit_a.id).status_code, 200)
        page = self.url_open("/my/service_records/%s" % self.record_a.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Replaced the spindle front bearing.", page.text)

    def test_other_customer_documents_are_not_found(self):
        self._login(self.portal_a)
        for url in ("/my/tickets/%s" % self.ticket_b.id,
                    "/my/units/%s" % self.unit_b.id,
                    "/my/service_records/%s" % self.record_b.id,
                    "/my/service_records/%s/sign" % self.record_b.id,
                    "/my/service_records/%s/pdf" % self.record_b.id,
                    "/my/tickets/999999"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 404, url)
            self.assertNotIn("Secret symptom of B", page.text)
            self.assertNotIn("Confidential work for B", page.text)

    def test_wrong_access_token_is_not_found(self):
        # Not logged in, with the token of another record, a bogus one, or none.
        for token in (self.record_a.access_token, "bogus", ""):
            page = self.url_open("/my/service_records/%s?access_token=%s"
                                 % (self.record_b.id, token))
            self.assertEqual(page.status_code, 404)
            self.assertNotIn("Confidential work for B", page.text)

    def test_access_token_opens_signing_page_without_login(self):
        page = self.url_open("/my/service_records/%s/sign?access_token=%s"
                             % (self.record_b.id, self.record_b.access_token))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Confidential work for B", page.text)
        self.assertIn("o_portal_signature_form", page.text)

    def test_engineer_opens_signing_page_from_backend(self):
        engineer = self.env["res.users"].create({
            "name": "Engineer Http", "login": "engineer_http", "password": "engineer_http-pwd",
            "groups_id": [(6, 0, [self.env.ref("aftersales_base.group_aftersales_user").id])]})
        self.env.cr.commit()  # TestCursor: moves its savepoint only
        self._login(engineer)
        action = self.record_b.sudo(engineer).action_open_signature_page()
        page = self.url_open(action["url"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_portal_signature_form", page.text)

    def test_create_ticket_through_portal(self):
        self._login(self.portal_a)
        csrf = self._csrf("/my/tickets/new")
        response = self.opener.post(
            self._url("/my/tickets/new"),
            data={"csrf_token": csrf, "archive_id": str(self.unit_a.id),
                  "description": "Coolant leaks under the table"},
            files={"attachment": ("leak.png", base64.b64decode(signature_png()), "image/png")},
            timeout=20)
        self.env.clear()
        self.assertEqual(response.status_code, 200)
        ticket = self._tickets_of(self.company_a) - self.ticket_a
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.archive_id, self.unit_a)
        self.assertEqual(ticket.contact_id, self.contact_a)
        self.assertEqual(ticket.description, "Coolant leaks under the table")
        self.assertIn(self.contact_a, ticket.message_partner_ids)
        self.assertIn("leak.png", ticket.message_ids.mapped("attachment_ids.name"))
        self.assertTrue(response.url.endswith("/my/tickets/%s" % ticket.id))

    def test_new_ticket_form_has_the_symptom_box(self):
        """The empty form shows where to type the symptom (and keeps it after an error)."""
        self._login(self.portal_a)
        page = self.url_open("/my/tickets/new")
        self.assertRegex(page.text, r'<textarea[^>]*name="description"')
        csrf = self._csrf("/my/tickets/new")
        page = self.url_open("/my/tickets/new", data={
            "csrf_token": csrf, "archive_id": "0", "description": "Alarm 2041 again"})
        self.assertRegex(page.text, r'<textarea[^>]*name="description"[^>]*>Alarm 2041 again<')

    def test_create_ticket_refuses_other_customer_unit(self):
        self._login(self.portal_a)
        csrf = self._csrf("/my/tickets/new")
        response = self.url_open("/my/tickets/new", data={
            "csrf_token": csrf, "archive_id": str(self.unit_b.id), "description": "Mine now"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose one of your units.", response.text)
        self.assertEqual(self._tickets_of(self.company_a), self.ticket_a)
        self.assertEqual(self._tickets_of(self.company_b), self.ticket_b)

    def test_create_ticket_needs_a_symptom(self):
        self._login(self.portal_a)
        csrf = self._csrf("/my/tickets/new")
        response = self.url_open("/my/tickets/new", data={
            "csrf_token": csrf, "archive_id": str(self.unit_a.id), "description": "   "})
        self.assertIn("Describe the symptom.", response.text)
        self.assertEqual(self._tickets_of(self.company_a), self.ticket_a)

    def test_create_ticket_needs_csrf(self):
        self._login(self.portal_a)
        response = self.url_open("/my/tickets/new", data={
            "archive_id": str(self.unit_a.id), "description": "No token"})
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self._tickets_of(self.company_a), self.ticket_a)

    def test_follow_and_unfollow_ticket(self):
        self._login(self.portal_a)
        csrf = self._csrf("/my/tickets/%s" % self.ticket_a.id)
        url = "/my/tickets/%s/follow" % self.ticket_a.id
        self.url_open(url, data={"csrf_token": csrf, "follow": "1"})
        self.assertIn(self.contact_a, self.ticket_a.message_partner_ids)
        self.url_open(url, data={"csrf_token": csrf, "follow": "0"})
        self.ticket_a.invalidate_cache()
        self.assertNotIn(self.contact_a, self.ticket_a.message_partner_ids)
        other = self.url_open("/my/tickets/%s/follow" % self.ticket_b.id,
                              data={"csrf_token": csrf, "follow": "1"})
        self.assertEqual(other.status_code, 404)
        self.assertNotIn(self.contact_a, self.ticket_b.message_partner_ids)

    def test_sign_through_portal(self):
        self._login(self.portal_a)
        result = self._json("/my/service_records/%s/accept" % self.record_a.id,
                            partner_name="Wang Http", signature=signature_png())
        self.assertIn("success", result)
        self.record_a.invalidate_cache()
        self.assertEqual(self.record_a.state, "signed")
        self.assertEqual(self.record_a.signer_name, "Wang Http")
        self.assertEqual(self.record_a.archive_id.event_ids.filtered(
            lambda e: e.event_type == "service").res_id, self.record_a.id)

    def test_sign_refusals_through_portal(self):
        self._login(self.portal_a)
        url = "/my/service_records/%s/accept" % self.record_a.id
        self.assertIn("error", self._json(url, partner_name="", signature=signature_png()))
        self.assertIn("error", self._json(url, partner_name="Wang Http", signature="R0lGODlh"))
        # Another customer's record, by id and with a wrong token.
        other = "/my/service_records/%s/accept" % self.record_b.id
        self.assertIn("error", self._json(other, partner_name="Wang Http",
                                          signature=signature_png()))
        self.assertIn("error", self._json(other, partner_name="Wang Http",
                                          signature=signature_png(),
                                          access_token=self.record_a.access_token))
        (self.record_a | self.record_b).invalidate_cache()
        self.assertEqual((self.record_a | self.record_b).mapped("state"), ["to_sign", "to_sign"])

    def test_sign_with_token_on_engineer_tablet(self):
        # Nobody logged in: the engineer opened the link from the backend.
        result = self._json("/my/service_records/%s/accept" % self.record_b.id,
                            access_token=self.record_b.access_token,
                            partner_name="Li Http", signature=signature_png())
        # issue 14: the link is dead once signed; the record is shown after logging in
        self.assertEqual(result["redirect_url"],
                         "/web/login?redirect=%%2Fmy%%2Fservice_records%%2F%s" % self.record_b.id)
        self.record_b.invalidate_cache()
        self.assertEqual(self.record_b.state, "signed")

    def test_pdf_download(self):
        self._login(self.portal_a)
        response = self.url_open("/my/service_records/%s/pdf" % self.record_a.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(self.record_a.name.encode(), response.content)
