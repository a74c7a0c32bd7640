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


class ResConfigSettingsTickets(models.TransientModel):
    """Service request settings (R: S1, S2, S3, S4)."""

    _inherit = "res.config.settings"

    aftersales_answer_hours_0 = fields.Float(related="company_id.aftersales_answer_hours_0")
    aftersales_answer_hours_1 = fields.Float(related="company_id.aftersales_answer_hours_1")
    aftersales_answer_hours_2 = fields.Float(related="company_id.aftersales_answer_hours_2")
    aftersales_answer_hours_3 = fields.Float(related="company_id.aftersales_answer_hours_3")
    aftersales_arrival_hours_0 = fields.Float(related="company_id.aftersales_arrival_hours_0")
    aftersales_arrival_hours_1 = fields.Float(related="company_id.aftersales_arrival_hours_1")
    aftersales_arrival_hours_2 = fields.Float(related="company_id.aftersales_arrival_hours_2")
    aftersales_arrival_hours_3 = fields.Float(related="company_id.aftersales_arrival_hours_3")
    aftersales_hotline_greeting = fields.Text(related="company_id.aftersales_hotline_greeting")
    aftersales_service_cost_budget = fields.Monetary(
        related="company_id.aftersales_service_cost_budget", currency_field="company_currency_id")
    company_currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    aftersales_signing_link_days = fields.Integer(
        related="company_id.aftersales_signing_link_days")

    @api.constrains("aftersales_answer_hours_0", "aftersales_answer_hours_1",
                    "aftersales_answer_hours_2", "aftersales_answer_hours_3",
                    "aftersales_arrival_hours_0", "aftersales_arrival_hours_1",
                    "aftersales_arrival_hours_2", "aftersales_arrival_hours_3")
    def _check_aftersales_promised_hours(self):
        for settings in self:
            for kind in ("answer", "arrival"):
                if any(settings["aftersales_%s_hours_%s" % (kind, p)] < 0 for p in "0123"):
                    raise ValidationError(_("Promised hours cannot be negative."))

    @api.constrains("aftersales_service_cost_budget")
    def _check_aftersales_service_cost_budget(self):
        if any(s.aftersales_service_cost_budget < 0 for s in self):
            raise ValidationError(_("Service costs and budgets cannot be negative."))

    @api.constrains("aftersales_signing_link_days")
    def _check_aftersales_signing_link_days(self):
        if any(s.aftersales_signing_link_days < 1 for s in self):
            raise ValidationError(_("A signing link is valid for one day at least."))
