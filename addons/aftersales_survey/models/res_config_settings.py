from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

TARGETS = ("aftersales_target_visit_rate", "aftersales_target_satisfaction",
           "aftersales_target_timeliness", "aftersales_target_training_pass")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_target_visit_rate = fields.Float(
        related="company_id.aftersales_target_visit_rate", string="Return-Visit Rate Target (%)")
    aftersales_target_satisfaction = fields.Float(
        related="company_id.aftersales_target_satisfaction", string="Satisfaction Target (%)")
    aftersales_target_timeliness = fields.Float(
        related="company_id.aftersales_target_timeliness", string="Timeliness Target (%)")
    aftersales_target_training_pass = fields.Float(
        related="company_id.aftersales_target_training_pass",
        string="Training Pass Rate Target (%)")
    aftersales_target_service_score = fields.Float(
        related="company_id.aftersales_target_service_score",
        string="Service Quality Score Target (1-5)")
    aftersales_target_cost_per_service = fields.Float(
        related="company_id.aftersales_target_cost_per_service",
        string="Cost per Service Target")
    aftersales_warranty_months = fields.Integer(
        related="company_id.aftersales_warranty_months",
        string="Warranty Period for KPIs (months)")
    aftersales_dissatisfied_score = fields.Integer(
        related="company_id.aftersales_dissatisfied_score", string="Dissatisfied at Score")

    @api.constrains(*TARGETS)
    def _check_aftersales_targets(self):
        for settings in self:
            if any(not 0 <= settings[f] <= 100 for f in TARGETS):
                raise ValidationError(_("KPI targets are percentages between 0 and 100."))

    @api.constrains("aftersales_target_service_score", "aftersales_target_cost_per_service")
    def _check_aftersales_score_and_cost_targets(self):
        for settings in self:
            if not 0 <= settings.aftersales_target_service_score <= 5:
                raise ValidationError(_("The service quality score target is between 0 and 5."))
            if settings.aftersales_target_cost_per_service < 0:
                raise ValidationError(_("The cost per service target cannot be negative."))

    @api.constrains("aftersales_dissatisfied_score", "aftersales_warranty_months")
    def _check_aftersales_visit_figures(self):
        for settings in self:
            if not 0 <= settings.aftersales_dissatisfied_score <= 5:
                raise ValidationError(_("The dissatisfaction score is between 0 and 5."))
            if settings.aftersales_warranty_months < 0:
                raise ValidationError(_("The warranty period cannot be negative."))
