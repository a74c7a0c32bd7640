from odoo.exceptions import AccessError, UserError

from .common import AftersalesCase


class TestRepairNotice(AftersalesCase):
    """R: S10 - a repair notice goes to the department only after a manager approved it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department_head = cls._create_user("tech_head", "base.group_user")
        cls.ticket = cls._create_ticket()
        cls.ticket.action_triage()

    def _notice(self, **values):
        vals = {"ticket_id": self.ticket.id, "department": "Technical Department",
                "responsible_id": self.department_head.id, "approver_id": self.manager.id,
                "request": "Check the spindle vibration data"}
        vals.update(values)
        return self.env["aftersales.repair.notice"].sudo(self.user).create(vals)

    def test_s10_submit_asks_the_approver(self):
        notice = self._notice()
        self.assertTrue(notice.name.startswith("RN/"))
        notice.action_submit()
        self.assertEqual(notice.state, "to_approve")
        self.assertEqual(notice.activity_ids.user_id, self.manager)
        self.assertEqual(self.ticket.repair_notice_count, 1)

    def test_s10_submit_without_approver_refused(self):
        notice = self._notice(approver_id=False)
        with self.assertRaises(UserError):
            notice.action_submit()
        self.assertEqual(notice.state, "draft")

    def test_s10_approval_by_a_non_manager_refused(self):
        notice = self._notice()
        notice.action_submit()
        with self.assertRaises(AccessError):
            notice.sudo(self.user).action_approve()
        with self.assertRaises(AccessError):
            notice.sudo(self.user).action_refuse()
        self.assertEqual(notice.state, "to_approve")
        self.assertFalse(notice.approved_date)

    def test_s10_sending_before_approval_refused(self):
        notice = self._notice()
        notice.action_submit()
        with self.assertRaises(UserError):
            notice.sudo(self.user).action_send()
        self.assertEqual(notice.state, "to_approve")

    def test_s10_approved_notice_sent_to_the_department(self):
        notice = self._notice()
        notice.action_submit()
        notice.sudo(self.manager).action_approve()
        self.assertEqual(notice.state, "approved")
        self.assertTrue(notice.approved_date)
        self.assertFalse(notice.activity_ids, "the approval activity is done")
        notice.sudo(self.user).action_send()
        self.assertEqual(notice.state, "sent")
        self.assertEqual(notice.activity_ids.user_id, self.department_head)
        self.assertIn(self.department_head.partner_id, notice.message_partner_ids)

    def test_s10_refused_notice_goes_back_to_draft(self):
        notice = self._notice()
        notice.action_submit()
        notice.sudo(self.manager).action_refuse()
        self.assertEqual(notice.state, "draft")
        self.assertFalse(notice.activity_ids)

    def test_s10_sent_notice_cannot_be_deleted(self):
        notice = self._notice()
        notice.action_submit()
        notice.sudo(self.manager).action_approve()
        notice.action_send()
        with self.assertRaises(UserError):
            notice.sudo(self.manager).unlink()
        self.assertTrue(notice.exists())
