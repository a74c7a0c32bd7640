from odoo import fields, models


class AftersalesApprovalLevel(models.Model):
    """One level of the cost budget approval (售后服务费用预算审批单). R: S11."""

    _name = "aftersales.approval.level"
    _description = "Repair Approval Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Levels approve in this order.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id, index=True)
    group_id = fields.Many2one(
        "res.groups", string="Approving Group", required=True,
        help="Members of this group approve at this level.")
