from odoo import api, fields, models, _
from odoo.exceptions import UserError


class AftersalesWarrantyExclusion(models.Model):
    """A recordable out-of-warranty cause (保外原因). R: W5."""

    _name = "aftersales.warranty.exclusion"
    _description = "Warranty Exclusion Reason"
    _order = "sequence, id"

    name = fields.Char(string="Reason", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    @api.multi
    def unlink(self):
        used = self.env["aftersales.ticket"].with_context(active_test=False).search_count(
            [("exclusion_id", "in", self.ids)])
        if used:
            raise UserError(_("Exclusion reasons used on service requests cannot be deleted; "
                              "archive them instead."))
        return super().unlink()
