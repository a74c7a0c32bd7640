from odoo import api, models, _
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.aftersales_base.models.aftersales_guard_mixin import MAX_AMOUNT

# What a repair's approval is about (R: S11, S12): a change of these after the approval was
# requested starts the approval again.
COST_FIELDS = ("repair_id", "type", "product_id", "product_uom_qty", "product_uom",
               "price_unit", "tax_id")


class MrpRepairCostMixin(models.AbstractModel):
    """Parts and fees of a repair: positive quantities and prices; a change of cost after
    the approval was requested restarts it and blocks the next step (R: S11, S12, issue 13)."""

    _name = "mrp.repair.cost.mixin"
    _description = "Repair Parts and Fees"
    _cost_fields = COST_FIELDS

    @api.constrains("product_uom_qty", "price_unit")
    def _check_quantity_price(self):
        for line in self:
            if float_compare(line.product_uom_qty, 0.0,
                             precision_rounding=line.product_uom.rounding or 0.001) <= 0:
                raise ValidationError(_(
                    "The quantity of %(line)s on repair %(repair)s must be positive: a negative "
                    "line does not hide a cost.") % {
                    "line": line.name, "repair": line.repair_id.name})
            if line.price_unit < 0:
                raise ValidationError(_(
                    "The unit price of %(line)s on repair %(repair)s cannot be negative.") % {
                    "line": line.name, "repair": line.repair_id.name})
            if max(line.product_uom_qty, line.price_unit) > MAX_AMOUNT:
                raise ValidationError(_(
                    "The quantity or price of %(line)s on repair %(repair)s is beyond any real "
                    "one.") % {"line": line.name, "repair": line.repair_id.name})

    def _ensure_repair_open(self, repairs):
        done = repairs.filtered(lambda r: r.state == "done" and r._is_aftersales_repair())
        if done:
            raise UserError(_(
                "Repair %(repair)s is done: its parts and fees no longer change.") % {
                "repair": done[0].name})

    @api.model
    def create(self, vals):
        line = super().create(vals)
        self._ensure_repair_open(line.repair_id)
        line.repair_id._tier_restart()
        return line

    @api.multi
    def write(self, vals):
        if not set(self._cost_fields) & set(vals):
            return super().write(vals)
        repairs = self.mapped("repair_id")
        self._ensure_repair_open(repairs)
        res = super().write(vals)
        repairs |= self.mapped("repair_id")
        self._ensure_repair_open(repairs)
        repairs._tier_restart()
        return res

    @api.multi
    def unlink(self):
        repairs = self.mapped("repair_id")
        self._ensure_repair_open(repairs)
        res = super().unlink()
        repairs.exists()._tier_restart()
        return res


class MrpRepairLine(models.Model):
    _name = "mrp.repair.line"
    _inherit = ["mrp.repair.line", "mrp.repair.cost.mixin"]

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
