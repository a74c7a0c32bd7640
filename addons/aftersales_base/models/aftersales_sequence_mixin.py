from odoo import api, models


class AftersalesSequenceMixin(models.AbstractModel):
    """Documents numbered by the ir.sequence whose code is the model's name."""

    _name = "aftersales.sequence.mixin"
    _description = "After-Sales Numbered Document"

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals)
