from odoo import api, fields, models, _


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    # R: P5, W6 - recovered parts reconditioned for reuse under extended warranty.
    is_refurbished = fields.Boolean(
        string="Refurbished", index=True, track_visibility="onchange",
        help="Parts of this lot were recovered and reconditioned; they may only be issued "
             "for units under an extended warranty contract or with a manager's consent.")

    @api.multi
    @api.depends("name", "is_refurbished")
    def name_get(self):
        result = super().name_get()
        refurbished = set(self.filtered("is_refurbished").ids)
        # translated here: _() finds the language in this frame, not in a comprehension's
        label = _("%(name)s (refurbished)")
        return [(lot_id, label % {"name": name}) if lot_id in refurbished else (lot_id, name)
                for lot_id, name in result]
