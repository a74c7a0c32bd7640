from odoo import api, fields, models, _
from odoo.exceptions import UserError

from .aftersales_ticket import ENGINEER, HOTLINE

NOTICE_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("sent", "Sent"),
    ("cancel", "Cancelled"),
]


class AftersalesRepairNotice(models.Model):
    """Repair notice (售后维修通知单): help from production or technical departments, sent only
    after the leader approved it. R: S10.

    The approval is a tier validation (`tier.definition` records of this model, by default the
    after-sales managers): who approved and when come from the reviews, never from a typed
    field, and nobody approves a notice they asked for.
    """

    _name = "aftersales.repair.notice"
    _description = "Repair Notice"
    _inherit = ["aftersales.guard.mixin", "aftersales.tier.validation",
                "aftersales.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    # Workflow guard (issue 13): a notice is written while a draft, then only by its steps.
    _guard_owned_fields = ("name", "state", "requested_by_id", "sent_date", "review_ids")
    _guard_editable_fields = ("ticket_id", "department", "responsible_id", "request")
    _guard_free_fields = ()
    _guard_open_states = ("draft",)
    _guard_locked_states = ("to_approve", "approved", "sent", "cancel")
    # Tier validation (R: S10): reviews are asked in To Approve, approval leads to Approved.
    _state_from = ["to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_revalidate_fields = ("ticket_id", "department", "responsible_id", "request")
    _tier_requester_field = "requested_by_id"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(
        NOTICE_STATES, default="draft", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Request", required=True, index=True,
        ondelete="restrict", readonly=True, states={"draft": [("readonly", False)]})
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, readonly=True)
    partner_id = fields.Many2one(
        related="ticket_id.partner_id", string="Customer", store=True, readonly=True)
    archive_id = fields.Many2one(related="ticket_id.archive_id", string="Unit", readonly=True)
    department = fields.Char(
        required=True, readonly=True, states={"draft": [("readonly", False)]},
        help="Production, technical or another department whose help is needed.")
    responsible_id = fields.Many2one(
        "res.users", string="Department Responsible", required=True, index=True,
        readonly=True, states={"draft": [("readonly", False)]}, track_visibility="onchange")
    request = fields.Text(
        string="Help Needed", required=True, readonly=True,
        states={"draft": [("readonly", False)]})
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True,
        copy=False, help="Who asked for the notice: they cannot approve it.")
    # Who approved and when: read from the reviews (R: S10)
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", compute="_compute_approval",
        help="The reviewer of the last level, from the validation.")
    approved_date = fields.Datetime(string="Approved On", compute="_compute_approval")
    sent_date = fields.Datetime(string="Sent On", readonly=True, copy=False)

    @api.depends("review_ids.status", "review_ids.done_by", "review_ids.reviewed_date")
    def _compute_approval(self):
        for notice in self:
            approved = notice._tier_ordered(
                notice.review_ids.filtered(lambda r: r.status == "approved"))
            last = approved[-1:] if approved and notice.validated else approved.browse()
            notice.approved_by_id = last.done_by
            notice.approved_date = last.reviewed_date

    @api.multi
    def unlink(self):
        if self.filtered(lambda n: n.state != "draft"):
            raise UserError(_("Only draft repair notices can be deleted; cancel the others."))
        return super().unlink()

    # Steps ------------------------------------------------------------------------------------

    @api.multi
    def request_validation(self):
        """Ask the leader's approval (R: S10): the notice waits in To Approve."""
        self._guard_ensure_role(HOTLINE, ENGINEER)
        self._ensure_state("draft")
        self._write_owned({"state": "to_approve"})
        self._tier_refresh()
        reviews = super().request_validation()
        self._tier_refresh()
        for notice in self:
            if not notice.review_ids and notice._tier_is_validated():
                # no approval level applies to this notice (configured so)
                notice._write_owned({"state": "approved"})
        self._schedule_approval_activities()
        return reviews

    @api.multi
    def validate_tier(self):
        """Approve the next level; the last one approves the notice."""
        self._ensure_state("to_approve")
        self._tier_refresh()
        res = super().validate_tier()
        self._tier_refresh()
        for notice in self:
            notice._close_activities("aftersales_base.mail_activity_repair_notice_approve")
            if notice._tier_is_validated():
                notice._write_owned({"state": "approved"})
        self.filtered(lambda n: n.state == "to_approve")._schedule_approval_activities()
        return res

    @api.multi
    def reject_tier(self):
        """Refuse: the rejection stays in the chatter, the notice goes back to its requester
        as a draft."""
        self._ensure_state("to_approve")
        self._tier_refresh()
        res = super().reject_tier()
        self._close_activities("aftersales_base.mail_activity_repair_notice_approve")
        with self.env["tier.review"]._tier_allow():
            self.mapped("review_ids").unlink()
        self._tier_refresh()
        self._write_owned({"state": "draft"})
        return res

    @api.multi
    def restart_validation(self):
        raise UserError(_("Cancel the repair notice, or have it rejected to edit it again."))

    @api.multi
    def action_send(self):
        """Send the approved notice to the department's responsible (R: S10)."""
        self._guard_ensure_role(HOTLINE, ENGINEER)
        self._ensure_state("approved")
        self._tier_refresh()
        self._tier_ensure_validated()
        self._write_owned({"state": "sent", "sent_date": fields.Datetime.now()})
        activity_type = self.env.ref("aftersales_base.mail_activity_repair_notice")
        for notice in self:
            notice.message_subscribe_users(user_ids=notice.responsible_id.ids)
            notice.sudo()._aftersales_schedule_activity(
                activity_type, notice.responsible_id,
                _("Repair notice %(notice)s for %(ticket)s") % {
                    "notice": notice.name, "ticket": notice.ticket_id.name},
                notice.request)
            notice.message_post(
                body=_("Repair notice sent to %(department)s (%(user)s).") % {
                    "department": notice.department, "user": notice.responsible_id.name},
                partner_ids=notice.responsible_id.partner_id.ids)
            notice.ticket_id.message_post(
                body=_("Repair notice %(notice)s sent to %(department)s.") % {
                    "notice": notice.name, "department": notice.department})
        return True

    @api.multi
    def action_cancel(self):
        self._guard_ensure_role(HOTLINE, ENGINEER)
        self._ensure_state("draft", "to_approve", "approved")
        self._write_owned({"state": "cancel"})
        self.mapped("activity_ids").unlink()
        return True

    # Business methods -------------------------------------------------------------------------

    def _ensure_state(self, *states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for notice in self.filtered(lambda n: n.state not in states):
            raise UserError(_("Repair notice %(notice)s is %(state)s: this step is only possible "
                              "from %(allowed)s.") % {
                "notice": notice.name, "state": labels[notice.state],
                "allowed": ", ".join(labels[s] for s in states)})

    def _schedule_approval_activities(self):
        """A to-do for each person who may approve the next level (not the requesters)."""
        activity_type = self.env.ref("aftersales_base.mail_activity_repair_notice_approve")
        for notice in self.filtered(lambda n: n.state == "to_approve"):
            pending = notice._tier_pending_reviews()[:1]
            reviewers = pending.reviewer_ids - notice._tier_requesters() - \
                notice.review_ids.mapped("done_by")
            for user in reviewers.filtered(lambda u: not u.share):
                notice.sudo()._aftersales_schedule_activity(
                    activity_type, user,
                    _("Approve repair notice %(notice)s") % {"notice": notice.name})

    def _close_activities(self, type_xmlid):
        """The current user's to-do of `type_xmlid` is done; the other reviewers' go away."""
        activity_type = self.env.ref(type_xmlid)
        activities = self.mapped("activity_ids").filtered(
            lambda a: a.activity_type_id == activity_type)
        mine = activities.filtered(lambda a: a.user_id == self.env.user)
        (activities - mine).sudo().unlink()
        mine.sudo().action_feedback()

    def _notify_accepted_reviews_body(self):
        return _("Repair notice approved by %(user)s.") % {"user": self.env.user.name}
