from odoo import models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _gather(self, product_id, location_id, lot_id=None, package_id=None, owner_id=None,
                strict=False):
        """R: P5, W6 - a request that may not use refurbished parts does not reserve them."""
        quants = super()._gather(product_id, location_id, lot_id=lot_id, package_id=package_id,
                                 owner_id=owner_id, strict=strict)
        if self.env.context.get("aftersales_exclude_refurbished"):
            quants = quants.filtered(lambda q: not q.lot_id.is_refurbished)
        return quants
