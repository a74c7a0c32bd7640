from odoo import api, fields, models, tools


class AftersalesTrainingReport(models.Model):
    """One row per trainee of a done handover training. R: K4."""

    _name = "aftersales.training.report"
    _description = "Handover Training Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    training_id = fields.Many2one("aftersales.training", string="Training", readonly=True)
    date = fields.Date(readonly=True)
    month = fields.Char(string="Month", readonly=True)
    archive_id = fields.Many2one("aftersales.archive", string="Unit", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    trainer_id = fields.Many2one("res.users", string="Trainer", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    passed = fields.Boolean(readonly=True)
    nbr = fields.Integer(string="# Trainees", readonly=True)
    passed_count = fields.Integer(string="# Passed", readonly=True)
    pass_rate = fields.Float(string="Pass Rate (%)", readonly=True, group_operator="avg")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW aftersales_training_report AS (
                SELECT l.id, l.training_id, t.date, to_char(t.date, 'YYYY-MM') AS month,
                       t.archive_id, t.partner_id, t.product_id, t.trainer_id, t.company_id,
                       COALESCE(l.passed, FALSE) AS passed, 1 AS nbr,
                       CASE WHEN l.passed THEN 1 ELSE 0 END AS passed_count,
                       CASE WHEN l.passed THEN 100.0 ELSE 0.0 END AS pass_rate
                  FROM aftersales_training_trainee l
                  JOIN aftersales_training t ON t.id = l.training_id
                 WHERE t.state = 'done' AND t.active
            )""")
