from odoo import fields, models

from ..models.aftersales_visit_rule import RULE_TYPES


class AftersalesVisitMonthReport(models.Model):
    """Return visits by month of their deadline, type, channel and product: the K1, K2 and K6
    pivot of a large history, refreshed hourly from the live Return Visit Analysis."""

    _name = "aftersales.visit.month.report"
    _inherit = "aftersales.month.report.mixin"
    _auto = False
    _description = "Return Visits by Month"
    _ratios = {
        "visit_rate": ("done_count", "due_count", 100.0),
        "satisfaction_rate": ("satisfied_count", "rated_count", 100.0),
        "score_average": ("score_average_sum", "rated_count", 1.0),
        "score_service": ("score_service_sum", "service_rated_count", 1.0),
    }

    rule_type = fields.Selection(RULE_TYPES, string="Type", readonly=True)
    channel = fields.Selection(
        [("phone", "Phone"), ("on_site", "On Site"), ("portal", "Portal")], readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    in_warranty = fields.Boolean(string="In Warranty", readonly=True)
    nbr = fields.Integer(string="# Visits", readonly=True)
    due_count = fields.Integer(string="# Due", readonly=True)
    done_count = fields.Integer(string="# Done", readonly=True)
    visit_rate = fields.Float(string="Visit Rate (%)", readonly=True, group_operator="avg")
    rated_count = fields.Integer(string="# Rated", readonly=True)
    satisfied_count = fields.Integer(string="# Satisfied", readonly=True)
    satisfaction_rate = fields.Float(string="Satisfaction (%)", readonly=True,
                                     group_operator="avg")
    score_average_sum = fields.Float(string="Average Score Total", readonly=True)
    score_average = fields.Float(string="Average Score", readonly=True, group_operator="avg")
    score_service_sum = fields.Integer(string="Service Score Total", readonly=True)
    service_rated_count = fields.Integer(string="# Service Rated", readonly=True)
    score_service = fields.Float(string="Service Score", readonly=True, group_operator="avg")

    def _month_query(self):
        return """
            SELECT min(r.id) AS id, date_trunc('month', r.date::timestamp)::date AS date,
                   r.month, r.rule_type, r.channel, r.product_id, r.company_id, r.in_warranty,
                   sum(r.nbr) AS nbr, sum(r.due_count) AS due_count,
                   sum(r.done_count) AS done_count,
                   100.0 * sum(r.done_count) / NULLIF(sum(r.due_count), 0) AS visit_rate,
                   sum(r.rated_count) AS rated_count,
                   sum(r.satisfied_count) AS satisfied_count,
                   100.0 * sum(r.satisfied_count) / NULLIF(sum(r.rated_count), 0)
                       AS satisfaction_rate,
                   COALESCE(sum(r.score_average), 0) AS score_average_sum,
                   sum(r.score_average) / NULLIF(sum(r.rated_count), 0) AS score_average,
                   sum(r.score_service_sum) AS score_service_sum,
                   sum(r.service_rated_count) AS service_rated_count,
                   sum(r.score_service_sum)::numeric / NULLIF(sum(r.service_rated_count), 0)
                       AS score_service
              FROM aftersales_visit_report r
             GROUP BY 2, 3, 4, 5, 6, 7, 8"""
