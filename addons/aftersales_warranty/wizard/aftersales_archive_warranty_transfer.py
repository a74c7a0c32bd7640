from odoo import api, fields, models


class AftersalesArchiveWarrantyTransfer(models.TransientModel):
    """Whole-unit replacement: move the warranty to the replacement serial (R: W3, W4)."""

    _name = "aftersales.archive.warranty.transfer"
    _description = "Transfer Warranty to Replacement Unit"

    archive_id = fields.Many2one(
        "aftersales.archive", string="Replaced Unit", required=True,
        default=lambda self: self.env.context.get("active_id"))
    product_id = fields.Many2one(related="archive_id.product_id", readonly=True)
    new_archive_id = fields.Many2one(
        "aftersales.archive", string="Replacement Unit", required=True,
        domain="[('product_id', '=', product_id), ('id', '!=', archive_id)]")

    @api.multi
    def action_transfer(self):
        self.ensure_one()
        self.archive_id._transfer_warranties_to(self.new_archive_id)
        return {"type": "ir.actions.act_window_close"}
