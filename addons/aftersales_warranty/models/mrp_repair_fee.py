from odoo import fields, models

from .mrp_repair_line import COST_FIELDS


class MrpRepairFee(models.Model):
    _name = "mrp.repair.fee"
    _inherit = ["mrp.repair.fee", "mrp.repair.cost.mixin"]
    _cost_fields = COST_FIELDS + ("fee_type",)

    # R: S12 - paid repairs bill labour hours and travel.
    fee_type = fields.Selection(
        [("labour", "Labour"), ("travel", "Travel")], string="Kind",
        required=True, default="labour")

    def _get_kind(self):
        return self.fee_type or "labour"

    def _get_cost(self):
        return self.product_id.standard_price * self.product_uom_qty
