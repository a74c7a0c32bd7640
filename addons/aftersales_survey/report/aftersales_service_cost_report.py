from odoo import api, fields, models, tools


class AftersalesServiceCostReport(models.Model):
    """One row per signed service record, dated by its signature. R: K7 - cost per service
    (vehicle, consumables, other) and the overruns with their explanation."""

    _name = "aftersales.service.cost.report"
    _description = "Service Cost Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    record_id = fields.Many2one("aftersales.service.record", string="Service Record",
                                readonly=True)
    date = fields.Date(string="Signed On", readonly=True)
    month = fields.Char(string="Month", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", string="Service Request", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    archive_id = fields.Many2one("aftersales.archive", string="Unit", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    engineer_id = fields.Many2one("res.users", string="Engineer", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    is_cost_overrun = fields.Boolean(string="Cost Overrun", readonly=True)
    cost_overrun_reason = fields.Text(string="Cost Overrun Reason", readonly=True)
    nbr = fields.Integer(string="# Services", readonly=True)
    cost_vehicle = fields.Float(string="Vehicle Cost", readonly=True)
    cost_consumables = fields.Float(string="Consumables Cost", readonly=True)
    cost_other = fields.Float(string="Other Costs", readonly=True)
    cost_total = fields.Float(string="Total Cost", readonly=True)
    cost_average = fields.Float(string="Cost per Service", readonly=True, group_operator="avg")
    cost_budget = fields.Float(string="Cost Budget", readonly=True)
    overrun_count = fields.Integer(string="# Overruns", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW aftersales_service_cost_report AS (
                SELECT r.id, r.id AS record_id, r.signed_on::date AS date,
                       to_char(r.signed_on, 'YYYY-MM') AS month,
                       r.ticket_id, r.partner_id, r.archive_id, r.product_id, r.engineer_id,
                       r.company_id,
                       COALESCE(r.is_cost_overrun, FALSE) AS is_cost_overrun,
                       r.cost_overrun_reason,
                       1 AS nbr,
                       COALESCE(r.cost_vehicle, 0) AS cost_vehicle,
                       COALESCE(r.cost_consumables, 0) AS cost_consumables,
                       COALESCE(r.cost_other, 0) AS cost_other,
                       COALESCE(r.cost_total, 0) AS cost_total,
                       COALESCE(r.cost_total, 0) AS cost_average,
                       COALESCE(r.cost_budget, 0) AS cost_budget,
                       CASE WHEN r.is_cost_overrun THEN 1 ELSE 0 END AS overrun_count
                  FROM aftersales_service_record r
                 WHERE r.state = 'signed' AND r.active
            )""")
