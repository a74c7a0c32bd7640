"""One appointment, read by a customer in Suzhou, whoever renders the page (issue 15, "Time" and
"Words"): the hotline dispatches, the engineer (Asia/Shanghai) fills the record, an
administrator in Europe/Brussels prints it. The customer (Asia/Shanghai, Simplified Chinese)
reads 09:00 and Chinese words in his e-mail, on his portal page, on the tablet's signing page
opened by the link (logged out) and in the PDF, however it was printed.

The pages and the PDFs are read over HTTP from this run's server, as a user would get them.
"""
import re
from datetime import datetime, timedelta

import pytz
import requests

from odoo import fields

from pdf_tools import pdf_text
from rpc_case import RpcCase

ZH_TIME = "09时00分"  # zh_CN's time format is %H时%M分%S秒
WRONG_ZH = ("01时00分", "02时00分")  # UTC and Brussels in winter
# Our words a Chinese customer must not read on the record (selection values and labels)
ENGLISH = ("Passed", "Part Replacement", "Technical Change", "Appointment", "Service Record",
           "Engineer", "Customer Signature")


def served_text(document):
    """The words of a served PDF (or of its HTML, in test mode), without spaces."""
    if document[:5] == b"%PDF-":
        return pdf_text(document)
    html = document.decode("utf-8")
    html = html[html.index("<main"):html.rindex("</main>")]  # the document, not the assets
    text = re.sub(r"<[^>]+>", "", re.sub(r"(?s)<(script|style)\b.*?</\1>", "", html))
    return re.sub(r"\s+", "", text)


class TestCustomerReadsHisOwnTime(RpcCase):

    def setUp(self):
        super().setUp()
        env = self.env
        self.customer = env["res.partner"].create({
            "name": "Suzhou Reading Parts", "is_company": True, "tz": "Asia/Shanghai",
            "lang": "zh_CN", "city": "Suzhou"})
        self.contact = env["res.partner"].create({
            "name": "Wang Lei", "parent_id": self.customer.id, "tz": "Asia/Shanghai",
            "lang": "zh_CN", "email": "wang.lei@example.com", "phone": "+86 512 6288 0001"})
        self.users = self._make_role_users("tzread", self.contact)
        self.users["engineer"].write({"name": "Zhou Qiang", "tz": "Asia/Shanghai", "lang": "zh_CN"})
        self.admin = self._make_user("tzread_admin", (
            "base.group_system", "aftersales_base.group_aftersales_manager"))
        self.admin.write({"tz": "Europe/Brussels", "lang": "en_US"})
        self.archive = self._make_unit("Reading Machining Center", "TZR-0001", self.customer,
                                       self.contact, "88 Xinghu Street, Suzhou")
        self.ticket = env["aftersales.ticket"].create({
            "partner_id": self.customer.id, "contact_id": self.contact.id,
            "archive_id": self.archive.id, "channel": "phone",
            "description": "Spindle noise above 6000 rpm"})
        # 09:00 in Beijing the day after tomorrow: 01:00 UTC, 02:00 in Brussels (winter)
        day = datetime.utcnow().date() + timedelta(days=2)
        self.appointment = datetime(day.year, day.month, day.day, 1, 0)
        self.day = day
        self.commit()

    def _dispatch_and_fill(self):
        context = {"active_id": self.ticket.id, "active_ids": self.ticket.ids,
                   "active_model": "aftersales.ticket"}
        hotline = self.users["hotline"]
        self.ok(self.call("hotline", hotline, "aftersales.ticket", "action_triage",
                          [self.ticket.ids]))
        wizard = self.ok(self.call("hotline", hotline, "aftersales.ticket.dispatch", "create", [{
            "ticket_id": self.ticket.id, "engineer_id": self.users["engineer"].id,
            "appointment_date": fields.Datetime.to_string(self.appointment),
            "site_address": "88 Xinghu Street, Suzhou", "contact_id": self.contact.id,
            "contact_phone": "+86 512 6288 0001"}], {"context": context}))
        self.ok(self.call("hotline", hotline, "aftersales.ticket.dispatch", "action_confirm",
                          [[wizard]], {"context": context}), "dispatch")
        engineer = self.users["engineer"]
        record_id = self.ok(self.call("engineer", engineer, "aftersales.service.record", "create", [{
            "ticket_id": self.ticket.id, "archive_id": self.archive.id,
            "partner_id": self.customer.id, "contact_id": self.contact.id,
            "engineer_id": engineer.id, "work_done": "Replaced the spindle front bearing.",
            "test_result": "passed",
            "change_ids": [(0, 0, {"change_type": "part_replacement", "name": "Bearing"}),
                           (0, 0, {"change_type": "technical_change", "name": "Oil"})]}]))
        self.ok(self.call("engineer", engineer, "aftersales.service.record", "action_arrive",
                          [[record_id]]))
        self.ok(self.call("engineer", engineer, "aftersales.service.record",
                          "action_request_signature", [[record_id]]))
        record = self.env["aftersales.service.record"].browse(record_id)
        self.assertEqual(record.date_appointment, fields.Datetime.to_string(self.appointment))
        return record

    def _assert_reads_beijing_time(self, text, where):
        self.assertIn(ZH_TIME, text, where)
        for wrong in WRONG_ZH:
            self.assertNotIn(wrong, text, where)

    def _assert_chinese_words(self, text, where):
        self.assertIn("合格", text, where)  # the test result, "Passed"
        self.assertIn("部件更换", text, where)  # "Part Replacement"
        for word in ENGLISH:
            self.assertNotIn(word, text, where)

    def _page(self, session, url):
        response = session.get(self._url(url), timeout=120)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_the_appointment_reads_nine_in_beijing_everywhere(self):
        """Issue 15: 09:00 Beijing time in the e-mail, the portal, the token page and the PDF."""
        record = self._dispatch_and_fill()

        # the e-mail that tells the customer who comes and when
        mail = self.env["mail.message"].search([
            ("model", "=", "aftersales.ticket"), ("res_id", "=", self.ticket.id),
            ("partner_ids", "in", self.contact.ids)])
        self.assertEqual(len(mail), 1, mail.mapped("body"))
        self.assertIn("%s 09:00" % self.day.isoformat(), mail.body)
        self.assertNotIn("01:00", mail.body)

        # the record on the customer's portal, logged in
        portal = self._session(self.users["portal"])
        page = self._page(portal, "/my/service_records/%s" % record.id).text
        self._assert_reads_beijing_time(page, "portal page")

        # the signing page on the engineer's tablet, logged out, by the record's link
        token = record.access_token
        page = self._page(requests.Session(), "/my/service_records/%s/sign?access_token=%s" % (
            record.id, token)).text
        self._assert_reads_beijing_time(page, "signing page")
        self.assertIn("预约时间", page)  # "Appointment", in the customer's language

        # the PDF by the link and by the customer, as the portal serves it (a server run for
        # tests serves the HTML that would become the PDF: Odoo's test mode)
        served = {
            "by link": self._page(requests.Session(), "/my/service_records/%s/pdf?access_token=%s"
                                  % (record.id, token)).content,
            "by customer": self._page(portal, "/my/service_records/%s/pdf" % record.id).content,
        }
        for who, document in served.items():
            text = served_text(document)
            self._assert_reads_beijing_time(text, "PDF " + who)
            self._assert_chinese_words(text, "PDF " + who)
        # the PDF itself, printed in the backend by the engineer and by the admin in Brussels
        # (as Odoo prints outside test mode: the report's HTML through wkhtmltopdf)
        report = self.env.ref("aftersales_base.action_report_service_record")
        for user in (self.users["engineer"], self.admin):
            printing = report.with_env(self.env(user=user.id, context={
                "tz": user.tz, "lang": user.lang}))
            html = printing.render_qweb_html(record.ids)[0]
            bodies, _ids, header, footer, paper = printing._prepare_html(html)
            text = pdf_text(printing._run_wkhtmltopdf(
                bodies, header=header, footer=footer, specific_paperformat_args=paper))
            self._assert_reads_beijing_time(text, "PDF by " + user.login)
            self._assert_chinese_words(text, "PDF by " + user.login)

    def test_reported_on_reads_in_the_customers_zone(self):
        """Issue 15: "Reported On" of the portal is the customer's time, not the server's."""
        reported = fields.Datetime.from_string(self.ticket.date_reported)
        local = pytz.utc.localize(reported).astimezone(pytz.timezone("Asia/Shanghai"))
        portal = self._session(self.users["portal"])
        page = self._page(portal, "/my/tickets/%s" % self.ticket.id).text
        self.assertIn(local.strftime("%H时%M分"), page)
        self.assertIn("报修时间", page)  # "Reported On": Chinese without /zh_CN/
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        self.assertIn("我的服务申请", title)  # the browser tab too

    def test_a_portal_user_reads_his_own_language_without_prefix(self):
        """Issue 15: a logged-in customer gets his account's language, whatever the cookie."""
        portal = self._session(self.users["portal"])
        portal.cookies.set("frontend_lang", "en_US")
        response = portal.get(self._url("/my/tickets"), timeout=120)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.rstrip("/").endswith("/zh_CN/my/tickets"), response.url)
        self.assertIn("服务申请", response.text)
