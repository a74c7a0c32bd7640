from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # R: P1 - timely issue: how many working days after approval a part is promised.
    aftersales_parts_normal_days = fields.Integer(
        string="Parts issue lead time, normal (working days)", default=3)
    aftersales_parts_urgent_days = fields.Integer(
        string="Parts issue lead time, urgent (working days)", default=1)
    # R: P3 - the warehouse that serves after-sales parts.
    aftersales_parts_warehouse_id = fields.Many2one(
        "stock.warehouse", string="After-Sales Parts Warehouse")
    # R: P2 - where defective cores wait before they go back to the maker.
    aftersales_core_location_id = fields.Many2one(
        "stock.location", string="Core Returns Location", domain=[("usage", "=", "internal")])
