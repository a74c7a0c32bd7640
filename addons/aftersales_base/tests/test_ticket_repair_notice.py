from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AftersalesCase

REFUSED = (AccessError, UserError, ValidationError)


class TestRepairNotice(AftersalesCase):
    """R: S10 - a repair notice goes to the department only after the leader approved it.

    The approval is OCA's tier validation (issue 13): a `tier.definition` of the after-sales
    managers, reviewed with Validate / Reject; who approved and when come from the review.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department_head = cls._create_user("tech_head", "base.group_user")
        cls.manager_2 = cls._create_user("as_manager_2", "aftersales_base.group_aftersales_manager")
        cls.ticket = cls._create_ticket()
        cls.ticket.action_triage()

    def _notice(self, user=None, **values):
        vals = {"ticket_id": self.ticket.id, "department": "Technical Department",
                "responsible_id": self.department_head.id,
                "request": "Check the spindle vibration data"}
        vals.update(values)
        return self.env["aftersales.repair.notice"].sudo(user or self.hotline).create(vals)

    def _requested(self, user=None):
        notice = self._notice(user=user)
        notice.request_validation()
        return notice

    def _state(self, notice):
        notice.invalidate_cache()
        return notice.sudo().read(["state", "sent_date", "requested_by_id"])[0]

    def test_s10_a_manager_level_is_configured(self):
        definition = self.env.ref("aftersales_base.tier_definition_repair_notice_manager")
        self.assertEqual(definition.model, "aftersales.repair.notice")
        self.assertEqual(definition.review_type, "group")
        self.assertEqual(definition.reviewer_group_id,
                         self.env.ref("aftersales_base.group_aftersales_manager"))

    def test_s10_approval_level_reads_in_the_readers_language(self):
        """Issue 15: the level's name is English for English users, Chinese for Chinese ones."""
        level = self.env.ref("aftersales_base.tier_definition_repair_notice_manager")
        self.assertEqual(level.with_context(lang="en_US").name, "After-Sales Manager")
        self.assertEqual(level.with_context(lang="zh_CN").name, "售后经理")

    def test_s10_request_validation_asks_the_managers(self):
        notice = self._notice()
        self.assertTrue(notice.name.startswith("RN/"))
        self.assertEqual(notice.requested_by_id, self.hotline)
        notice.request_validation()
        self.assertEqual(notice.state, "to_approve")
        self.assertEqual(len(notice.review_ids), 1)
        self.assertEqual(notice.review_ids.status, "pending")
        self.assertEqual(notice.review_ids.requested_by, self.hotline)
        self.assertIn(self.manager, notice.review_ids.reviewer_ids)
        self.assertIn(self.manager, notice.activity_ids.mapped("user_id"))
        self.assertNotIn(self.hotline, notice.activity_ids.mapped("user_id"))
        self.assertEqual(self.ticket.repair_notice_count, 1)

    def test_s10_engineer_may_ask_too(self):
        notice = self._requested(user=self.engineer)
        self.assertEqual(notice.state, "to_approve")

    def test_s10_manager_validates_and_the_review_says_who_and_when(self):
        notice = self._requested()
        notice.sudo(self.manager).validate_tier()
        self.assertEqual(notice.state, "approved")
        review = notice.review_ids
        self.assertEqual(review.status, "approved")
        self.assertEqual(review.done_by, self.manager)
        self.assertEqual(notice.approved_by_id, self.manager)
        self.assertEqual(notice.approved_date, review.reviewed_date)
        self.assertFalse(notice.activity_ids, "the approval to-dos are done")

    def test_s10_approved_notice_sent_to_the_department(self):
        notice = self._requested()
        notice.sudo(self.manager).validate_tier()
        notice.sudo(self.hotline).action_send()
        self.assertEqual(notice.state, "sent")
        self.assertTrue(notice.sent_date)
        self.assertEqual(notice.activity_ids.user_id, self.department_head)
        self.assertIn(self.department_head.partner_id, notice.message_partner_ids)

    def test_s10_rejected_notice_goes_back_to_draft(self):
        notice = self._requested()
        notice.sudo(self.manager).reject_tier()
        self.assertEqual(notice.state, "draft")
        self.assertFalse(notice.review_ids)
        self.assertFalse(notice.activity_ids)
        self.assertTrue(notice.message_ids.filtered(
            lambda m: self.manager.name in (m.body or "") and "rejected" in (m.body or "")))
        # edited and asked again
        notice.write({"request": "Check the vibration data and the bearing temperature"})
        notice.request_validation()
        self.assertEqual(notice.state, "to_approve")

    def test_s10_approval_by_a_non_manager_refused(self):
        notice = self._requested()
        for user in (self.user, self.hotline, self.engineer, self.quality):
            for method in ("validate_tier", "reject_tier"):
                with self.subTest(user=user.login, method=method):
                    with self.assertRaises(REFUSED):
                        getattr(notice.sudo(user), method)()
                    notice.invalidate_cache()
                    self.assertEqual(notice.state, "to_approve")
                    self.assertEqual(notice.review_ids.status, "pending")
                    self.assertFalse(notice.approved_by_id)

    def test_s10_cheat_manager_approves_his_own_notice_refused(self):
        """Issue 13 item 3: nobody approves the notice they asked for."""
        notice = self._requested(user=self.manager)
        with self.assertRaises(UserError):
            notice.sudo(self.manager).validate_tier()
        notice.invalidate_cache()
        self.assertEqual(notice.state, "to_approve")
        self.assertEqual(notice.review_ids.status, "pending")
        notice.sudo(self.manager_2).validate_tier()
        self.assertEqual(notice.state, "approved")
        self.assertEqual(notice.approved_by_id, self.manager_2)

    def test_s10_cheat_requester_typed_refused(self):
        """The requester is who created the notice: typing another one is refused."""
        Notice = self.env["aftersales.repair.notice"]
        count = Notice.search_count([])
        with self.assertRaises(UserError):
            self._notice(user=self.manager, requested_by_id=self.hotline.id)
        self.assertEqual(Notice.search_count([]), count)
        notice = self._notice(user=self.manager)
        with self.assertRaises(UserError):
            notice.sudo(self.manager).write({"requested_by_id": self.hotline.id})
        self.assertEqual(self._state(notice)["requested_by_id"][0], self.manager.id)

    def test_s10_cheat_state_written_directly_refused(self):
        """Issue 13 item 2: a notice set `approved` and then sent."""
        notice = self._notice()
        before = self._state(notice)
        for user in (self.hotline, self.manager):
            for vals in ({"state": "approved"}, {"state": "to_approve"}, {"state": "sent"},
                         {"sent_date": "2026-01-01 08:00:00"}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    notice.sudo(user).write(vals)
        self.assertEqual(self._state(notice), before)
        with self.assertRaises(UserError):
            notice.action_send()
        self.assertEqual(self._state(notice), before)

    def test_s10_cheat_created_approved_refused(self):
        Notice = self.env["aftersales.repair.notice"]
        count = Notice.search_count([])
        for vals in ({"state": "approved"}, {"state": "sent", "sent_date": "2026-01-01 08:00:00"}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._notice(user=self.manager, **vals)
        self.assertEqual(Notice.search_count([]), count)

    def test_s10_cheat_review_approved_by_editing_refused(self):
        """The review is changed by Validate / Reject only, never written."""
        notice = self._requested()
        review = notice.review_ids
        for user in (self.hotline, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    review.sudo(user).write({"status": "approved", "done_by": user.id})
                with self.assertRaises(UserError):
                    notice.sudo(user).write({"review_ids": [(1, review.id, {
                        "status": "approved"})]})
                with self.assertRaises(UserError):
                    self.env["tier.review"].sudo(user).create({
                        "model": notice._name, "res_id": notice.id, "status": "approved",
                        "definition_id": review.definition_id.id})
        notice.invalidate_cache()
        self.assertEqual(notice.review_ids, review)
        self.assertEqual(review.status, "pending")
        self.assertEqual(notice.state, "to_approve")

    def test_s10_cheat_restart_validation_refused(self):
        notice = self._requested()
        with self.assertRaises(UserError):
            notice.sudo(self.hotline).restart_validation()
        self.assertEqual(len(notice.review_ids), 1)

    def test_s10_notice_under_validation_is_locked(self):
        notice = self._requested()
        with self.assertRaises(UserError):
            notice.write({"request": "Something else entirely"})
        notice.invalidate_cache()
        self.assertEqual(notice.request, "Check the spindle vibration data")

    def test_s10_sending_before_approval_refused(self):
        notice = self._requested()
        with self.assertRaises(UserError):
            notice.sudo(self.hotline).action_send()
        self.assertEqual(notice.state, "to_approve")

    def test_s10_request_and_send_are_the_service_teams(self):
        notice = self._notice()
        for user in (self.user, self.quality):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                notice.sudo(user).request_validation()
        self.assertEqual(notice.state, "draft")
        notice.request_validation()
        notice.sudo(self.manager).validate_tier()
        with self.assertRaises(AccessError):
            notice.sudo(self.user).action_send()
        self.assertEqual(notice.state, "approved")

    def test_s10_approver_is_no_longer_a_typed_field(self):
        fields = self.env["aftersales.repair.notice"]._fields
        self.assertNotIn("approver_id", fields)
        self.assertFalse(fields["approved_date"].store)
        self.assertFalse(fields["approved_by_id"].store)

    def test_s10_cancelled_at_any_step_before_sending(self):
        notice = self._requested()
        notice.sudo(self.hotline).action_cancel()
        self.assertEqual(notice.state, "cancel")
        self.assertFalse(notice.activity_ids)

    def test_s10_sent_notice_cannot_be_deleted(self):
        notice = self._requested()
        notice.sudo(self.manager).validate_tier()
        notice.action_send()
        with self.assertRaises(UserError):
            notice.sudo(self.manager).unlink()
        self.assertTrue(notice.exists())
