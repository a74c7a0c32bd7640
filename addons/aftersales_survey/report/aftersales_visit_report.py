from odoo import api, fields, models, tools

from ..models.aftersales_visit_rule import RULE_TYPES


class AftersalesVisitReport(models.Model):
    """One row per return visit, dated by its deadline. R: K1, K2, K6.

    K1 counts a unit as in warranty when it was delivered at most the company's
    "warranty period for KPIs" months before the visit deadline: the real warranty lives in
    aftersales_warranty, which this addon does not depend on.
    """

    _name = "aftersales.visit.report"
    _description = "Return Visit Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    visit_id = fields.Many2one("aftersales.visit", string="Visit", readonly=True)
    date = fields.Date(string="Deadline", readonly=True)
    month = fields.Char(string="Month", readonly=True)
    rule_id = fields.Many2one("aftersales.visit.rule", string="Rule", readonly=True)
    rule_type = fields.Selection(RULE_TYPES, string="Type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    archive_id = fields.Many2one("aftersales.archive", string="Unit", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    user_id = fields.Many2one("res.users", string="Visitor", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")], readonly=True)
    channel = fields.Selection(
        [("phone", "Phone"), ("on_site", "On Site"), ("portal", "Portal")], readonly=True)
    in_warranty = fields.Boolean(string="In Warranty", readonly=True)
    nbr = fields.Integer(string="# Visits", readonly=True)
    due_count = fields.Integer(string="# Due", readonly=True)
    done_count = fields.Integer(string="# Done", readonly=True)
    on_time_count = fields.Integer(string="# Done on Time", readonly=True)
    visit_rate = fields.Float(string="Visit Rate (%)", readonly=True, group_operator="avg")
    rated_count = fields.Integer(string="# Rated", readonly=True)
    satisfied_count = fields.Integer(string="# Satisfied", readonly=True)
    satisfaction_rate = fields.Float(string="Satisfaction (%)", readonly=True,
                                     group_operator="avg")
    score_average = fields.Float(string="Average Score", readonly=True, group_operator="avg")
    score_service = fields.Float(string="Service Score", readonly=True, group_operator="avg")
    score_service_sum = fields.Integer(string="Service Score Total", readonly=True)
    service_rated_count = fields.Integer(string="# Service Rated", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW aftersales_visit_report AS (
                SELECT v.id, v.id AS visit_id, v.deadline AS date,
                       to_char(v.deadline, 'YYYY-MM') AS month,
                       v.rule_id, v.rule_type, v.partner_id, v.archive_id, v.product_id,
                       v.user_id, v.company_id, v.state, v.channel,
                       COALESCE(a.delivery_date + make_interval(
                           months => c.aftersales_warranty_months) >= v.deadline, FALSE)
                           AS in_warranty,
                       1 AS nbr,
                       due.due AS due_count,
                       CASE WHEN v.state = 'done' THEN 1 ELSE 0 END AS done_count,
                       CASE WHEN v.state = 'done' AND v.on_time THEN 1 ELSE 0 END
                           AS on_time_count,
                       CASE WHEN due.due = 1
                            THEN CASE WHEN v.state = 'done' THEN 100.0 ELSE 0.0 END END
                           AS visit_rate,
                       CASE WHEN v.is_rated THEN 1 ELSE 0 END AS rated_count,
                       CASE WHEN v.is_rated AND v.score_average >= 4 THEN 1 ELSE 0 END
                           AS satisfied_count,
                       CASE WHEN v.is_rated
                            THEN CASE WHEN v.score_average >= 4 THEN 100.0 ELSE 0.0 END END
                           AS satisfaction_rate,
                       CASE WHEN v.is_rated THEN v.score_average END AS score_average,
                       NULLIF(v.score_service, 0) AS score_service,
                       COALESCE(v.score_service, 0) AS score_service_sum,
                       CASE WHEN v.score_service > 0 THEN 1 ELSE 0 END AS service_rated_count
                  FROM aftersales_visit v
                  JOIN res_company c ON c.id = v.company_id
             LEFT JOIN aftersales_archive a ON a.id = v.archive_id
                 CROSS JOIN LATERAL (
                       SELECT CASE WHEN v.state = 'done'
                                     OR (v.state = 'planned' AND v.deadline < CURRENT_DATE)
                                   THEN 1 ELSE 0 END AS due) due
                 WHERE v.active
            )""")
