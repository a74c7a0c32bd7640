from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.multi
    def action_confirm(self):
        lines = self._get_warranty_extension_lines()
        lines._ensure_warranty_extension_sellable()
        res = super().action_confirm()
        lines._create_extended_warranties()
        return res

    def _get_warranty_extension_lines(self):
        return self.mapped("order_line").filtered(
            lambda l: l.product_id.aftersales_warranty_extension)

