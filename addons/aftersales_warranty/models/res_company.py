from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # R: S11 - warranty service above this cost needs the budget approval of every level.
    aftersales_approval_threshold = fields.Monetary(
        string="Repair Approval Threshold", currency_field="currency_id", default=1000.0,
        help="Repairs whose internal cost exceeds this amount need every approval level.")
    # R: W7 - remind customers before their cover ends.
    aftersales_warranty_reminder_days = fields.Integer(
        string="Warranty Reminder (days before end)", default=30)
