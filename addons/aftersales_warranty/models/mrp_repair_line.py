from odoo import api, models


class MrpRepairLine(models.Model):
    _inherit = "mrp.repair.line"

    @api.model
    def _get_defective_location(self):
        return self.env.ref("aftersales_warranty.stock_location_defective_parts")

    @api.onchange("type", "repair_id")
    def onchange_operation_type(self):
        res = super().onchange_operation_type()
        if self.type == "remove":
            self.location_dest_id = self._get_defective_location()
        return res

    @api.model
    def create(self, vals):
        # R: W3, W6 - replaced parts become company property, never back to the customer.
        if vals.get("type") == "remove":
            vals["location_dest_id"] = self._get_defective_location().id
        return super().create(vals)

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        defective = self._get_defective_location()
        misplaced = self.filtered(
            lambda l: l.type == "remove" and l.location_dest_id != defective)
        if misplaced:
            super(MrpRepairLine, misplaced).write({"location_dest_id": defective.id})
        return res

    def _get_cost(self):
        return self.product_id.standard_price * self.product_uom_qty
