from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_archive_deadline_days = fields.Integer(
        related="company_id.aftersales_archive_deadline_days",
        string="Archive completeness deadline (working days)",
    )

    @api.constrains("aftersales_archive_deadline_days")
    def _check_aftersales_archive_deadline_days(self):
        if any(s.aftersales_archive_deadline_days < 0 for s in self):
            raise ValidationError(_("The archive completeness deadline cannot be negative."))
