"""The hotline team's queue (issue 15, "People"; R: S1, S2, S9): requests of the portal, of
e-mail and of the phone all land in the team's queue and every member hears of them; a member
takes one, the leader assigns one, nobody else does; the customer's comment reaches the
responsible and the engineer. Each step over this run's server by the role that does it.
"""
import re
from datetime import datetime, timedelta

from odoo import fields

from rpc_case import RpcCase

EMAIL = """Return-Path: <wang.lei@queue-customer.example.com>
To: queue-hotline@aftersales.example.com
From: Wang Lei <wang.lei@queue-customer.example.com>
Subject: Coolant pump stops after an hour
Message-ID: <queue-1@queue-customer.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

The coolant pump of our VMC stops after an hour of work.
"""


class TestHotlineQueue(RpcCase):

    def setUp(self):
        super().setUp()
        env = self.env
        env["ir.config_parameter"].set_param("mail.catchall.domain", "aftersales.example.com")
        self.customer = env["res.partner"].create({
            "name": "Queue Customer Works", "is_company": True})
        self.contact = env["res.partner"].create({
            "name": "Wang Lei", "parent_id": self.customer.id,
            "email": "wang.lei@queue-customer.example.com"})
        self.users = self._make_role_users("queue", self.contact)
        self.users["hotline_2"] = self._make_user(
            "queue_hotline_2", ("aftersales_base.group_aftersales_hotline",))
        self.users["outsider"] = self._make_user(
            "queue_outsider", ("aftersales_base.group_aftersales_hotline",))
        # the company's first queue: where the portal's and the mail gateway's requests land
        self.team = env["aftersales.hotline.team"].create({
            "name": "Queue Test Hotline", "sequence": -1, "alias_name": "queue-hotline",
            "alias_contact": "everyone", "user_id": self.users["manager"].id,
            "member_ids": [(6, 0, [self.users["hotline"].id, self.users["hotline_2"].id])]})
        self.archive = self._make_unit("Queue Machining Center", "QUE-0001", self.customer,
                                       self.contact, "8 Queue Road, Wuxi", delivered_days_ago=30)
        self.commit()

    # Helpers ----------------------------------------------------------------------------------

    def _members(self):
        return (self.users["hotline"] | self.users["hotline_2"] | self.users["manager"])

    def _told(self, ticket, users):
        """The users notified of a message of `ticket` (mail.notification rows)."""
        notifications = self.env["mail.notification"].search([
            ("mail_message_id", "in", ticket.message_ids.ids),
            ("res_partner_id", "in", users.mapped("partner_id").ids)])
        return notifications.mapped("res_partner_id")

    def _portal_request(self):
        session = self._session(self.users["portal"])
        page = session.get(self._url("/my/tickets/new"), timeout=120)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        token = re.search(r'name="form_token" value="([0-9a-f]+)"', page.text).group(1)
        posted = session.post(self._url("/my/tickets/new"), data={
            "csrf_token": csrf, "form_token": token, "archive_id": str(self.archive.id),
            "description": "Spindle alarm 2031 at start-up."}, timeout=120)
        self.assertEqual(posted.status_code, 200)
        self.env.clear()
        return self.env["aftersales.ticket"].search([
            ("archive_id", "=", self.archive.id), ("channel", "=", "portal")])

    def _assign(self, role, ticket, method="action_assign_to_me", user=None):
        if method == "action_assign_to_me":
            return self.call(role, self.users[role], "aftersales.ticket", method, [ticket.ids])
        return self.call(role, self.users[role], "aftersales.ticket", "write",
                         [ticket.ids, {"user_id": user.id if user else False}])

    def _responsible(self, ticket):
        ticket.invalidate_cache()
        return ticket.user_id

    # The queue --------------------------------------------------------------------------------

    def test_requests_of_every_channel_reach_the_team_and_every_member(self):
        """Issue 15: portal, e-mail and phone requests in the queue; all members told."""
        members = self._members()
        web = self._portal_request()
        self.assertEqual(len(web), 1)
        # the mail gateway (fetchmail) runs on the server, as the alias's user
        ticket_id = self.env["mail.thread"].message_process(None, EMAIL)
        self.commit()
        mail = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual(mail.channel, "email")
        for ticket in (web, mail):
            self.assertEqual(ticket.team_id, self.team, ticket.channel)
            self.assertFalse(ticket.user_id, "%s: waits unassigned" % ticket.channel)
            self.assertEqual(self._told(ticket, members), members.mapped("partner_id"),
                             ticket.channel)
            # the administrator the system runs as neither follows nor hears of it
            self.assertNotIn(self.env.ref("base.partner_root"), ticket.message_partner_ids)
        phone = self.env["aftersales.ticket"].browse(self.ok(self.call(
            "hotline", self.users["hotline"], "aftersales.ticket", "create", [{
                "partner_id": self.customer.id, "contact_id": self.contact.id,
                "archive_id": self.archive.id, "channel": "phone",
                "description": "Called about the coolant pump."}])))
        self.assertEqual((phone.team_id, phone.user_id), (self.team, self.users["hotline"]))
        others = members - self.users["hotline"]
        self.assertEqual(self._told(phone, members), others.mapped("partner_id"))
        # the unassigned filter of the queue shows the two that wait
        waiting = self.ok(self.call("hotline_2", self.users["hotline_2"], "aftersales.ticket",
                                    "search", [[("team_id", "=", self.team.id),
                                                ("user_id", "=", False)]]))
        self.assertEqual(sorted(waiting), sorted((web | mail).ids))

    def test_a_member_takes_a_request_nobody_else_does(self):
        """Issue 15: "assign to me" for a member; refused to a non-member, over both the
        button and a direct write; nothing changed by the refusals."""
        ticket = self._portal_request()
        for role, method in (("outsider", "action_assign_to_me"), ("outsider", "write"),
                             ("engineer", "action_assign_to_me")):
            answer = self._assign(role, ticket, method, self.users[role])
            self.assertTrue(self.refused(answer), (role, method, self.describe(answer)))
            self.assertFalse(self._responsible(ticket), (role, method))
        self.ok(self._assign("hotline_2", ticket), "a member takes it")
        self.assertEqual(self._responsible(ticket), self.users["hotline_2"])
        # taken: another member does not take it over, nor gives it to himself by a write
        for method in ("action_assign_to_me", "write"):
            answer = self._assign("hotline", ticket, method, self.users["hotline"])
            self.assertTrue(self.refused(answer), (method, self.describe(answer)))
            self.assertEqual(self._responsible(ticket), self.users["hotline_2"])
        # the leader gives it to another member, not to an outsider
        answer = self._assign("manager", ticket, "write", self.users["hotline"])
        self.ok(answer, "the leader assigns")
        self.assertEqual(self._responsible(ticket), self.users["hotline"])
        self.assertIn(self.users["hotline"].partner_id, ticket.message_partner_ids)

    def test_the_leader_assigns_only_to_members(self):
        leader = self._make_user("queue_leader", ("aftersales_base.group_aftersales_hotline",))
        self.team.write({"user_id": leader.id})
        self.users["leader"] = leader
        self.commit()
        ticket = self._portal_request()
        answer = self._assign("leader", ticket, "write", self.users["outsider"])
        self.assertTrue(self.refused(answer), self.describe(answer))
        self.assertFalse(self._responsible(ticket))
        self.ok(self._assign("leader", ticket, "write", self.users["hotline_2"]))
        self.assertEqual(self._responsible(ticket), self.users["hotline_2"])

    def test_a_customers_comment_reaches_the_responsible_and_the_engineer(self):
        """Issue 15: the customer's portal message notifies the responsible and the
        engineer of the request (not only the administrator)."""
        ticket = self._portal_request()
        self.ok(self._assign("hotline", ticket))
        self.ok(self.call("hotline", self.users["hotline"], "aftersales.ticket",
                          "action_triage", [ticket.ids]))
        context = {"active_id": ticket.id, "active_ids": ticket.ids,
                   "active_model": "aftersales.ticket"}
        wizard = self.ok(self.call("hotline", self.users["hotline"], "aftersales.ticket.dispatch",
                                   "create", [{
                                       "ticket_id": ticket.id,
                                       "engineer_id": self.users["engineer"].id,
                                       "appointment_date": fields.Datetime.to_string(
                                           datetime.utcnow() + timedelta(days=1)),
                                       "site_address": "8 Queue Road, Wuxi",
                                       "contact_id": self.contact.id,
                                       "contact_phone": "+86 510 0000 0000"}],
                                   {"context": context}))
        self.ok(self.call("hotline", self.users["hotline"], "aftersales.ticket.dispatch",
                          "action_confirm", [[wizard]], {"context": context}))
        session = self._session(self.users["portal"])
        page = session.get(self._url("/my/tickets/%s" % ticket.id), timeout=120)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page_url = self._url("/my/tickets/%s" % ticket.id)
        session.post(self._url("/mail/chatter_post"), headers={"Referer": page_url}, data={
            "csrf_token": csrf, "res_model": "aftersales.ticket", "res_id": ticket.id,
            "message": "The alarm came back this morning."}, timeout=120)
        self.env.clear()
        comment = ticket.message_ids.filtered(lambda m: "came back" in (m.body or ""))
        self.assertEqual(len(comment), 1)
        told = self.env["mail.notification"].search([
            ("mail_message_id", "=", comment.id)]).mapped("res_partner_id")
        for role in ("hotline", "engineer"):
            self.assertIn(self.users[role].partner_id, told, role)
        self.assertNotIn(self.env.ref("base.partner_root"), told)
