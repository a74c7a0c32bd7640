from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    aftersales_parts_request_id = fields.Many2one(
        "aftersales.parts.request", string="Parts Request", index=True, readonly=True,
        copy=False)
