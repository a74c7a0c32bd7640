from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_parts_request_id = fields.Many2one(
        "aftersales.parts.request", string="Parts Request", index=True, readonly=True,
        copy=False)

    @api.multi
    def action_done(self):
        self._ensure_refurbished_allowed()
        return super().action_done()

    def _ensure_refurbished_allowed(self):
        """R: P5, W6 - refuse to ship a refurbished lot the request may not use."""
        for picking in self.filtered("aftersales_parts_request_id"):
            lots = picking.move_line_ids.filtered(lambda l: l.qty_done > 0).mapped("lot_id")
            # Logistics may not read the unit: the rule is checked as superuser.
            picking.aftersales_parts_request_id.sudo()._ensure_refurbished_allowed(lots)
