from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # R: K1-K4 - targets (defaults from the requirements).
    aftersales_target_visit_rate = fields.Float(string="Return-Visit Rate Target (%)",
                                                default=100.0)
    aftersales_target_satisfaction = fields.Float(string="Satisfaction Target (%)", default=98.0)
    aftersales_target_timeliness = fields.Float(string="Timeliness Target (%)", default=98.0)
    aftersales_target_training_pass = fields.Float(string="Training Pass Rate Target (%)",
                                                   default=100.0)
    # R: K6 - service quality score out of 5 (no figure in the seed: 4 is "satisfied", as in K2).
    aftersales_target_service_score = fields.Float(string="Service Quality Score Target (1-5)",
                                                   default=4.0)
    # R: K7 - cost per service (vehicle, consumables, other); reached at or below it.
    aftersales_target_cost_per_service = fields.Float(string="Cost per Service Target",
                                                      default=1000.0)
    # K1 counts a unit as in warranty for this many months after delivery (the warranty itself
    # lives in another addon this one does not depend on).
    aftersales_warranty_months = fields.Integer(string="Warranty Period for KPIs (months)",
                                                default=12)
    # R: V5, V8 - a score at or below this opens a follow-up request.
    aftersales_dissatisfied_score = fields.Integer(string="Dissatisfied at Score", default=2)
