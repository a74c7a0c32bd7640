from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_parts_normal_days = fields.Integer(
        related="company_id.aftersales_parts_normal_days",
        string="Parts issue lead time, normal (working days)")
    aftersales_parts_urgent_days = fields.Integer(
        related="company_id.aftersales_parts_urgent_days",
        string="Parts issue lead time, urgent (working days)")
    aftersales_parts_warehouse_id = fields.Many2one(
        related="company_id.aftersales_parts_warehouse_id", string="After-Sales Parts Warehouse")
    aftersales_core_location_id = fields.Many2one(
        related="company_id.aftersales_core_location_id", string="Core Returns Location")

    @api.constrains("aftersales_parts_normal_days", "aftersales_parts_urgent_days")
    def _check_aftersales_parts_days(self):
        if any(s.aftersales_parts_normal_days < 0 or s.aftersales_parts_urgent_days < 0
               for s in self):
            raise ValidationError(_("Parts issue lead times cannot be negative."))
