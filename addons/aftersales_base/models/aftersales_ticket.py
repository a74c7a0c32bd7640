from odoo import api, fields, models, _
from odoo.exceptions import UserError

TICKET_STATES = [
    ("new", "New"),
    ("triage", "Triage"),
    ("remote_solved", "Solved Remotely"),
    ("dispatched", "Dispatched"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("confirmed", "Confirmed by Customer"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]


class AftersalesTicket(models.Model):
    """The service request (售后服务申请单). R: S1-S18."""

    _name = "aftersales.ticket"
    _description = "Service Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "priority desc, date_reported desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id, index=True)
    state = fields.Selection(
        TICKET_STATES, string="Stage", default="new", required=True, readonly=True, copy=False,
        index=True, track_visibility="onchange")
    # Report
    channel = fields.Selection(
        [("phone", "Phone"), ("fax", "Fax"), ("email", "E-mail"), ("website", "Website"),
         ("remote", "Remote Service"), ("portal", "Customer Portal"), ("visit", "On-site Visit")],
        required=True, default="phone", track_visibility="onchange")
    date_reported = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, track_visibility="onchange")
    contact_id = fields.Many2one("res.partner", string="Contact")
    archive_id = fields.Many2one(
        "aftersales.archive", string="Unit", index=True, track_visibility="onchange")
    product_id = fields.Many2one(
        related="archive_id.product_id", string="Product", store=True, readonly=True)
    description = fields.Text(string="Symptom", required=True)
    category_id = fields.Many2one("aftersales.ticket.category", string="Category", index=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")],
        default="1", required=True, index=True, track_visibility="onchange")
    # People
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user,
        track_visibility="onchange")
    engineer_id = fields.Many2one("res.users", string="Engineer", track_visibility="onchange")
    # Timeliness (R: S2, S3, K3, K5)
    answer_deadline = fields.Datetime(string="Answer Promised By")
    answered_date = fields.Datetime(string="Answered On")
    answer_on_time = fields.Boolean(string="Answered on Time", readonly=True)
    arrival_deadline = fields.Datetime(string="Arrival Promised By")
    arrival_date = fields.Datetime(string="Arrived On")
    arrival_on_time = fields.Boolean(string="Arrived on Time", readonly=True)
    # Complaint (R: S16)
    is_complaint = fields.Boolean(string="Complaint", index=True, track_visibility="onchange")
    root_cause = fields.Text(string="Root Cause")
    preventive_action = fields.Text(string="Preventive Action")

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.ticket") or "/"
        return super().create(vals)

    @api.multi
    def unlink(self):
        raise UserError(_("Service requests cannot be deleted; cancel or archive them instead."))
