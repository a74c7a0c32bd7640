from datetime import datetime, timedelta

from odoo import fields

from .common import AftersalesCase

NEW_REQUEST = """Return-Path: <li.na@ningbo-mould.example.com>
To: service@aftersales.example.com
From: Li Na <li.na@ningbo-mould.example.com>
Subject: Coolant concentration alarm every morning
Message-ID: <request-1@ningbo-mould.example.com>
Date: Fri, 27 Nov 2026 08:12:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

The machine shows a coolant concentration warning every morning.
"""

REPLY = """Return-Path: <li.na@ningbo-mould.example.com>
To: service@aftersales.example.com
From: Li Na <li.na@ningbo-mould.example.com>
Subject: Re: Coolant concentration alarm every morning
Message-ID: <request-2@ningbo-mould.example.com>
In-Reply-To: <request-1@ningbo-mould.example.com>
References: <request-1@ningbo-mould.example.com>
Date: Fri, 27 Nov 2026 09:30:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

The sensor reading is 6 percent, we measured it by hand.
"""


class TestTicketMail(AftersalesCase):
    """R: S1 - e-mails open service requests; replies land in the chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sender = cls.env["res.partner"].create({
            "name": "Li Na", "parent_id": cls.customer.id,
            "email": "li.na@ningbo-mould.example.com"})

    def _process(self, raw):
        return self.env["mail.thread"].message_process("aftersales.ticket", raw)

    def _tickets(self):
        return self.env["aftersales.ticket"].search([("partner_id", "=", self.customer.id)])

    def test_s1_email_creates_ticket_for_the_senders_company(self):
        ticket = self.env["aftersales.ticket"].browse(self._process(NEW_REQUEST))
        self.assertTrue(ticket.name.startswith("SR/"))
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.contact_id, self.sender)
        self.assertEqual(ticket.title, "Coolant concentration alarm every morning")
        self.assertIn("coolant concentration warning", ticket.description)
        self.assertEqual(ticket.state, "new")

    def test_s1_reply_lands_in_the_chatter(self):
        ticket = self.env["aftersales.ticket"].browse(self._process(NEW_REQUEST))
        self._process(REPLY)
        self.assertEqual(self._tickets(), ticket)
        bodies = " ".join(ticket.message_ids.mapped("body"))
        self.assertIn("we measured it by hand", bodies)

    def test_s1_unknown_sender_gets_a_partner(self):
        raw = NEW_REQUEST.replace("li.na@ningbo-mould.example.com", "buyer@unknown.example.com")
        ticket = self.env["aftersales.ticket"].browse(self._process(raw))
        self.assertEqual(ticket.partner_id.email, "buyer@unknown.example.com")
        self.assertEqual(ticket.channel, "email")

    def test_s1_alias_service_routes_to_tickets(self):
        alias = self.env.ref("aftersales_base.mail_alias_aftersales_ticket")
        self.assertEqual(alias.alias_name, "service")
        self.assertEqual(alias.alias_model_id.model, "aftersales.ticket")

    def test_s1_standard_greeting_of_the_time_of_day_in_the_operators_language(self):
        """Issue 15: "Good morning" only in the morning of the operator's zone, in his words."""
        self.env.user.company_id.aftersales_hotline_greeting = False
        ticket = self._create_ticket()
        hour = datetime.utcnow().hour
        for local_hour, english, chinese in ((9, "Good morning", "早上好"),
                                             (14, "Good afternoon", "下午好"),
                                             (20, "Good evening", "晚上好")):
            # a fixed-offset zone where it is now local_hour (Etc/GMT-8 is UTC+8)
            offset = (local_hour - hour + 12) % 24 - 12
            zone = "Etc/GMT%+d" % -offset if offset else "UTC"
            for lang, salutation in (("en_US", english), ("zh_CN", chinese)):
                greeting = ticket.with_context(tz=zone, lang=lang).hotline_greeting
                self.assertTrue(greeting.startswith(salutation), (zone, lang, greeting))
        self.assertIn("after-sales service hotline", ticket.with_context(
            lang="en_US").hotline_greeting)
        self.assertIn("售后服务热线", ticket.with_context(lang="zh_CN").hotline_greeting)

    def test_s1_hotline_greeting_configurable_and_shown_on_tickets(self):
        self.env.user.company_id.aftersales_hotline_greeting = "Hello, ACME service, Chen speaking."
        ticket = self._create_ticket()
        self.assertEqual(ticket.hotline_greeting, "Hello, ACME service, Chen speaking.")

    def test_k3_email_ticket_dated_by_the_server(self):
        """R: K3 - the report time is the server's, not the mail's Date header (issue 13)."""
        ticket = self.env["aftersales.ticket"].browse(self._process(NEW_REQUEST))
        reported = fields.Datetime.from_string(ticket.date_reported)
        now = fields.Datetime.from_string(fields.Datetime.now())
        self.assertLess(abs(now - reported), timedelta(minutes=2))
        self.assertFalse(ticket.is_answered)
        self.assertFalse(ticket.engineer_id)
