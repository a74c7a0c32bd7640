from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Issue 14: after-sales staff read the warranty orders they deal with, not every order
    # (record rules in security/aftersales_warranty_security.xml).
    aftersales_renewal_warranty_ids = fields.One2many(
        "aftersales.warranty", "renewal_order_id", string="Renewed Warranties", readonly=True)

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

