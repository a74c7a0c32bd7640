from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_approval_threshold = fields.Monetary(
        related="company_id.aftersales_approval_threshold", currency_field="currency_id",
        string="Repair Approval Threshold")
    aftersales_warranty_reminder_days = fields.Integer(
        related="company_id.aftersales_warranty_reminder_days",
        string="Warranty Reminder (days before end)")

    @api.constrains("aftersales_approval_threshold", "aftersales_warranty_reminder_days")
    def _check_aftersales_warranty_settings(self):
        for settings in self:
            if settings.aftersales_approval_threshold < 0 \
                    or settings.aftersales_warranty_reminder_days < 0:
                raise ValidationError(_(
                    "The approval threshold and the reminder days cannot be negative."))
