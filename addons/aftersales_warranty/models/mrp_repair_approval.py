from odoo import fields, models


class MrpRepairApproval(models.Model):
    """An approval given on a repair: who, when, at which level. R: S11, S13."""

    _name = "mrp.repair.approval"
    _description = "Repair Approval"
    _order = "date, id"

    repair_id = fields.Many2one(
        "mrp.repair", string="Repair", required=True, index=True, ondelete="cascade")
    approval_type = fields.Selection(
        [("budget", "Cost Budget"), ("general_manager", "General Manager (free out of warranty)")],
        string="Type", required=True, default="budget")
    level_id = fields.Many2one("aftersales.approval.level", string="Level", index=True)
    user_id = fields.Many2one(
        "res.users", string="Approved By", required=True, default=lambda self: self.env.user)
    date = fields.Datetime(string="Approved On", required=True, default=fields.Datetime.now)
    cost = fields.Float(
        string="Approved Cost", readonly=True,
        help="Internal cost of the repair when approved; a higher cost needs a new approval.")
