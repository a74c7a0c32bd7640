from odoo import fields, models


class AftersalesTrainingMonthReport(models.Model):
    """Trainees of done handover trainings by month and product: the K4 pivot of a large
    history, refreshed hourly from the live Handover Training Analysis."""

    _name = "aftersales.training.month.report"
    _inherit = "aftersales.month.report.mixin"
    _auto = False
    _description = "Handover Trainings by Month"
    _ratios = {"pass_rate": ("passed_count", "nbr", 100.0)}

    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    nbr = fields.Integer(string="# Trainees", readonly=True)
    passed_count = fields.Integer(string="# Passed", readonly=True)
    pass_rate = fields.Float(string="Pass Rate (%)", readonly=True, group_operator="avg")

    def _month_query(self):
        return """
            SELECT min(r.id) AS id, date_trunc('month', r.date::timestamp)::date AS date,
                   r.month, r.product_id, r.company_id, sum(r.nbr) AS nbr,
                   sum(r.passed_count) AS passed_count,
                   100.0 * sum(r.passed_count) / NULLIF(sum(r.nbr), 0) AS pass_rate
              FROM aftersales_training_report r
             GROUP BY 2, 3, 4, 5"""
