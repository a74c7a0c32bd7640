from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError

NOTICE_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("sent", "Sent"),
    ("cancel", "Cancelled"),
]


class AftersalesRepairNotice(models.Model):
    """Repair notice (售后维修通知单): help from production or technical departments, sent only
    after a manager approved it. R: S10."""

    _name = "aftersales.repair.notice"
    _description = "Repair Notice"
    _inherit = ["aftersales.sequence.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

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
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True)
    approver_id = fields.Many2one(
        "res.users", string="Approver", track_visibility="onchange",
        readonly=True, states={"draft": [("readonly", False)]},
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "aftersales_base.group_aftersales_manager").id)],
        help="The after-sales manager who approves the notice.")
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    sent_date = fields.Datetime(string="Sent On", readonly=True, copy=False)

    @api.multi
    def unlink(self):
        if self.filtered(lambda n: n.state != "draft"):
            raise UserError(_("Only draft repair notices can be deleted; cancel the others."))
        return super().unlink()

    @api.multi
    def action_submit(self):
        """Ask the approver (R: S10)."""
        self._ensure_state("draft")
        for notice in self:
            if not notice.approver_id:
                raise UserError(_("Choose the manager who approves repair notice %(notice)s.")
                                % {"notice": notice.name})
        self.write({"state": "to_approve"})
        activity_type = self.env.ref("aftersales_base.mail_activity_repair_notice_approve")
        for notice in self:
            notice.sudo()._aftersales_schedule_activity(
                activity_type, notice.approver_id,
                _("Approve repair notice %(notice)s") % {"notice": notice.name})
        return True

    @api.multi
    def action_approve(self):
        self._ensure_manager()
        self._ensure_state("to_approve")
        self.write({"state": "approved", "approved_date": fields.Datetime.now()})
        self._close_activities("aftersales_base.mail_activity_repair_notice_approve")
        return True

    @api.multi
    def action_refuse(self):
        """Back to the requester as a draft."""
        self._ensure_manager()
        self._ensure_state("to_approve")
        self.write({"state": "draft"})
        self._close_activities("aftersales_base.mail_activity_repair_notice_approve")
        return True

    @api.multi
    def action_send(self):
        """Send the approved notice to the department's responsible (R: S10)."""
        self._ensure_state("approved")
        self.write({"state": "sent", "sent_date": fields.Datetime.now()})
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
        self._ensure_state("draft", "to_approve", "approved")
        self.write({"state": "cancel"})
        self.mapped("activity_ids").unlink()
        return True

    def _ensure_state(self, *states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for notice in self.filtered(lambda n: n.state not in states):
            raise UserError(_("Repair notice %(notice)s is %(state)s: this step is only possible "
                              "from %(allowed)s.") % {
                "notice": notice.name, "state": labels[notice.state],
                "allowed": ", ".join(labels[s] for s in states)})

    def _ensure_manager(self):
        if not self.env.user.has_group("aftersales_base.group_aftersales_manager"):
            raise AccessError(_("Only an after-sales manager may approve or refuse repair "
                                "notices."))

    def _close_activities(self, type_xmlid):
        activity_type = self.env.ref(type_xmlid)
        self.mapped("activity_ids").filtered(
            lambda a: a.activity_type_id == activity_type).sudo().action_feedback()
